// A matrix of numbers from the server as a table: every value printed (3 decimals), masked
// cells (null in the API's JSON) written "−∞" or "masked", and a diverging background colour
// (d3.interpolateRdBu, colour-blind safe) that only repeats what the digits already say. Each
// cell keeps the server's exact value in data-value so tests can compare it with the API.

import { decimals } from './format.js';

const d3 = globalThis.d3;
const FIXED = decimals(3);

export function formatValue(v) {
  if (v === null || v === undefined) return '−∞';
  if (Math.abs(v) >= 1e5 || (v !== 0 && Math.abs(v) < 1e-3)) return v.toExponential(2);
  return FIXED.format(v).replace('-', '−');
}

/** The largest absolute value of a (nested) array, ignoring nulls. */
export function maxAbs(values) {
  let m = 0;
  const walk = (x) => {
    if (Array.isArray(x)) x.forEach(walk);
    else if (typeof x === 'number') m = Math.max(m, Math.abs(x));
  };
  walk(values);
  return m;
}

function ink(fill) {
  return d3.lab(fill).l > 60 ? '#111' : '#fff';
}

/**
 * @param {number[][]} matrix rows of numbers or nulls
 * @param {{caption: string, rowLabels?: string[], colLabels?: string[], scaleMax?: number,
 *          testid?: string, nullText?: string, plainFrom?: number}} options
 *   columns from `plainFrom` on (such as a row sum) are printed without a colour
 * @returns {HTMLElement} a figure holding a scrollable, captioned table
 */
export function matrixTable(matrix, options) {
  const { caption, rowLabels, colLabels, testid = 'matrix', nullText = '−∞' } = options;
  const plainFrom = options.plainFrom ?? Infinity;
  const scaleMax = options.scaleMax ?? (maxAbs(matrix) || 1);
  const colour = d3.scaleDiverging(d3.interpolateRdBu).domain([scaleMax, 0, -scaleMax]);
  const figure = document.createElement('figure');
  figure.className = 'matrix';
  const scroll = document.createElement('div');
  scroll.className = 'table-scroll';
  scroll.tabIndex = 0;
  scroll.setAttribute('role', 'region');
  scroll.setAttribute('aria-label', caption);
  const table = document.createElement('table');
  table.className = 'matrix-table';
  table.dataset.testid = testid;
  table.createCaption().textContent = caption;
  const cols = matrix[0]?.length ?? 0;
  const head = table.createTHead().insertRow();
  const corner = document.createElement('th');
  corner.scope = 'col';
  corner.textContent = '';
  corner.setAttribute('aria-label', 'row');
  head.append(corner);
  for (let j = 0; j < cols; j++) {
    const th = document.createElement('th');
    th.scope = 'col';
    th.textContent = colLabels?.[j] ?? String(j);
    head.append(th);
  }
  const body = table.createTBody();
  matrix.forEach((row, i) => {
    const tr = body.insertRow();
    const th = document.createElement('th');
    th.scope = 'row';
    th.textContent = rowLabels?.[i] ?? String(i);
    tr.append(th);
    row.forEach((v, j) => {
      const td = tr.insertCell();
      td.className = 'num';
      td.dataset.value = v === null ? 'null' : String(v);
      if (v === null) {
        td.textContent = nullText;
        td.classList.add('masked');
      } else if (j >= plainFrom) {
        td.textContent = formatValue(v);
        td.classList.add('plain');
      } else {
        td.textContent = formatValue(v);
        const fill = colour(v);
        td.style.background = fill;
        td.style.color = ink(fill);
      }
    });
  });
  scroll.append(table);
  figure.append(scroll);
  return figure;
}

/** "[1, 2, 6, 4]" */
export function shapeText(dims) {
  return `[${dims.join(', ')}]`;
}

/** The first batch row of a [B][...] array. */
export function first(batched) {
  return Array.isArray(batched) ? batched[0] : null;
}

/** Splits a sentence at white space: the page sends tokens, so it knows L and S. */
export function words(text) {
  return String(text ?? '').trim().split(/\s+/).filter((w) => w !== '');
}
