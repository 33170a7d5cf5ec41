// One heatmap per head of the attention weights A [L][S]: query tokens down the side, key tokens
// along the top, colour from d3.interpolateViridis (perceptually uniform, colour-blind safe) on a
// scale shared by all heads. Each heatmap is keyboard reachable (arrow keys move a cursor whose
// exact value is announced), has a text summary and a table of every value.
// Each head, and each head's table, is built in a task of its own, so that a figure of many heads
// never blocks the page for long on a slow phone.

import { nextTask } from './tasks.js';
import { decimals } from './format.js';

const d3 = globalThis.d3;
const NUMBER = decimals(4);
const MAX_LABEL = 12;
/** Width of a label's character at 12 px, generous for capitals such as [SEP]'s. */
const CHAR_WIDTH = 7.2;
const LABEL_ANGLE = (55 * Math.PI) / 180;
const SVG = 'http://www.w3.org/2000/svg';

function label(token) {
  return token.length > MAX_LABEL ? `${token.slice(0, MAX_LABEL - 1)}…` : token;
}

function svgElement(name, attributes) {
  const element = document.createElementNS(SVG, name);
  for (const [key, value] of Object.entries(attributes)) element.setAttribute(key, value);
  return element;
}

/** Readable text colour on a viridis fill. */
function inkFor(fill) {
  return d3.lab(fill).l > 62 ? '#111' : '#fff';
}

/**
 * @param {HTMLElement} container emptied and refilled
 * @param {{weights: number[][][], tokens: string[], keyTokens: string[],
 *          masked: (number|null)[][][] | null}} data weights [h][L][S] of one batch row;
 *   masked [h][L][S] holds null where the mask hid a key (then drawn hatched);
 *   pooled: the cells are block means (the server's preview), so rows need not sum to 1;
 *   names: optional title of each heatmap (default "Head 1", "Head 2", …)
 * @returns {Promise<void>} resolves when every head and its table are drawn, or when the
 *   container was emptied or drawn again meanwhile (the rest is then not drawn)
 */
export async function renderHeatmaps(container, data) {
  const { weights, tokens, keyTokens } = data;
  container.replaceChildren();
  let max = 0;
  for (const head of weights) for (const row of head) for (const v of row) max = Math.max(max, v);
  const domainMax = max > 0 ? max : 1;
  const colour = d3.scaleSequential(d3.interpolateViridis).domain([0, domainMax]);

  const anyMasked = (data.masked ?? []).some((head) => head?.some((row) => row.includes(null)));
  container.append(legend(colour, domainMax, anyMasked));
  const grid = document.createElement('div');
  grid.className = 'heatmap-list';
  container.append(grid);
  for (const [h, head] of weights.entries()) {
    if (h > 0) await nextTask();
    if (!container.contains(grid)) return;
    const name = data.names?.[h] ?? `Head ${h + 1}`;
    const masked = data.masked?.[h] ?? null;
    const figure = heatmap(head, h, tokens, keyTokens, masked, colour, Boolean(data.pooled), name);
    grid.append(figure);
    await nextTask();
    if (!container.contains(grid)) return;
    figure.append(table(head, name, tokens, keyTokens, masked));
  }
}

function legend(colour, max, anyMasked) {
  const wrap = document.createElement('div');
  wrap.className = 'heatmap-legend';
  wrap.dataset.testid = 'heatmap-legend';
  const width = 240;
  const height = 12;
  const svg = d3.create('svg')
    .attr('viewBox', `0 0 ${width + 16} ${height + 24}`)
    .attr('width', width + 16).attr('height', height + 24)
    .attr('role', 'img')
    .attr('aria-label',
      `Colour scale: dark purple for 0 through green to yellow for ${NUMBER.format(max)}`);
  const id = `legend-${Math.random().toString(36).slice(2, 9)}`;
  const gradient = svg.append('defs').append('linearGradient').attr('id', id);
  for (let i = 0; i <= 10; i++) {
    gradient.append('stop').attr('offset', `${i * 10}%`).attr('stop-color', colour(max * i / 10));
  }
  svg.append('rect').attr('x', 8).attr('y', 0).attr('width', width).attr('height', height)
    .attr('fill', `url(#${id})`);
  const axis = d3.scaleLinear().domain([0, max]).range([8, width + 8]);
  const ticks = svg.append('g').attr('class', 'legend-ticks');
  for (const t of [0, max / 2, max]) {
    ticks.append('text').attr('x', axis(t)).attr('y', height + 16)
      .attr('text-anchor', t === 0 ? 'start' : t === max ? 'end' : 'middle')
      .text(t === 0 ? '0' : t.toFixed(max < 0.1 ? 3 : 2));
  }
  const caption = document.createElement('p');
  caption.className = 'legend-caption';
  caption.textContent = `Attention weight, 0 to ${NUMBER.format(max)} (the largest in any head)`
    + (anyMasked ? '; hatched cells are masked out (weight 0).' : '.');
  wrap.append(svg.node(), caption);
  return wrap;
}

function summary(head, tokens, keyTokens, masked, pooled) {
  let best = { v: -1, i: 0, j: 0 };
  let self = 0;
  const n = Math.min(head.length, head[0]?.length ?? 0);
  head.forEach((row, i) => row.forEach((v, j) => {
    if (v > best.v) best = { v, i, j };
  }));
  for (let i = 0; i < n; i++) self += head[i][i];
  const parts = [`Largest weight ${NUMBER.format(best.v)}, from query “${tokens[best.i]}”`
    + ` (row ${best.i + 1}) to key “${keyTokens[best.j]}” (column ${best.j + 1}).`];
  if (pooled) return `${parts[0]} Each cell is the mean of a block of weights.`;
  if (n === head.length && n === head[0].length) {
    parts.push(`On average a token gives ${NUMBER.format(self / n)} of its attention to itself.`);
  }
  if (masked) parts.push('Keys after each query are masked out.');
  parts.push('Every row sums to 1.');
  return parts.join(' ');
}

function heatmap(head, h, tokens, keyTokens, masked, colour, pooled, name) {
  const L = head.length;
  const S = head[0]?.length ?? 0;
  const cell = Math.max(18, Math.min(44, Math.floor(330 / Math.max(L, S))));
  const longest = Math.max(...tokens.map((t) => label(t).length),
    ...keyTokens.map((t) => label(t).length), 1);
  // A column label, turned 55° up from the middle of its column, reaches up and to the right by
  // its length's sine and cosine: the top margin and, past the last column, the right one.
  const labelLength = longest * CHAR_WIDTH;
  const margin = {
    left: 12 + labelLength,
    top: 10 + labelLength * Math.sin(LABEL_ANGLE),
    right: Math.max(4, labelLength * Math.cos(LABEL_ANGLE) - cell / 2 + 4),
  };
  const width = margin.left + S * cell + margin.right;
  const height = margin.top + L * cell + 4;
  const showNumbers = cell >= 36;

  const figure = document.createElement('figure');
  figure.className = 'heatmap';
  figure.dataset.testid = 'heatmap';
  figure.dataset.head = String(h);
  const baseId = `heatmap-${Math.random().toString(36).slice(2, 9)}`;

  const caption = document.createElement('figcaption');
  const title = document.createElement('strong');
  title.textContent = name;
  const text = document.createElement('span');
  text.className = 'heatmap-summary';
  text.id = `${baseId}-summary`;
  text.textContent = summary(head, tokens, keyTokens, masked, pooled);
  caption.append(title, ' ', text);

  const svg = d3.create('svg')
    .attr('viewBox', `0 0 ${width} ${height}`)
    .attr('width', width).attr('height', height)
    .attr('aria-hidden', 'true');
  const pattern = svg.append('defs').append('pattern').attr('id', `${baseId}-hatch`)
    .attr('width', 6).attr('height', 6).attr('patternUnits', 'userSpaceOnUse')
    .attr('patternTransform', 'rotate(45)');
  pattern.append('rect').attr('width', 6).attr('height', 6).attr('class', 'hatch-bg');
  pattern.append('line').attr('x1', 0).attr('y1', 0).attr('x2', 0).attr('y2', 6)
    .attr('class', 'hatch-line');

  const rows = svg.append('g').attr('class', 'row-labels');
  tokens.forEach((t, i) => rows.append('text')
    .attr('x', margin.left - 6).attr('y', margin.top + i * cell + cell / 2)
    .attr('text-anchor', 'end').attr('dominant-baseline', 'central').text(label(t)));
  const cols = svg.append('g').attr('class', 'col-labels');
  keyTokens.forEach((t, j) => {
    const x = margin.left + j * cell + cell / 2;
    const y = margin.top - 6;
    cols.append('text').attr('transform', `translate(${x},${y}) rotate(-55)`)
      .attr('text-anchor', 'start').attr('dominant-baseline', 'central').text(label(t));
  });

  // The cells are built with plain DOM calls: a map has hundreds of them, and a d3 selection per
  // cell costs several times as much.
  const cells = document.createElementNS(SVG, 'g');
  cells.setAttribute('class', 'cells');
  head.forEach((row, i) => row.forEach((v, j) => {
    const isMasked = masked != null && masked[i]?.[j] === null;
    const fill = isMasked ? null : colour(v);
    const g = document.createElementNS(SVG, 'g');
    const rect = svgElement('rect', {
      class: 'cell', x: margin.left + j * cell, y: margin.top + i * cell,
      width: cell - 1, height: cell - 1, fill: fill ?? `url(#${baseId}-hatch)`,
      'data-testid': 'heatmap-cell', 'data-row': i, 'data-col': j, 'data-value': String(v),
      'data-masked': String(isMasked),
    });
    const tip = document.createElementNS(SVG, 'title');
    tip.textContent = `${tokens[i]} → ${keyTokens[j]}: ${NUMBER.format(v)}`;
    rect.append(tip);
    g.append(rect);
    if (showNumbers && !isMasked) {
      const value = svgElement('text', {
        class: 'cell-value', x: margin.left + j * cell + (cell - 1) / 2,
        y: margin.top + i * cell + (cell - 1) / 2, 'text-anchor': 'middle',
        'dominant-baseline': 'central', fill: inkFor(fill),
      });
      value.textContent = v.toFixed(2).replace(/^0/, '');
      g.append(value);
    }
    cells.append(g);
  }));
  svg.node().append(cells);
  const cursor = svg.append('rect').attr('class', 'cursor').attr('width', cell - 1)
    .attr('height', cell - 1).attr('visibility', 'hidden');

  const readout = document.createElement('p');
  readout.className = 'heatmap-readout';
  readout.dataset.testid = 'heatmap-readout';
  readout.setAttribute('aria-live', 'polite');
  readout.textContent = 'Hover over a cell, or focus the map and use the arrow keys.';

  const frame = document.createElement('div');
  frame.className = 'heatmap-frame';
  frame.tabIndex = 0;
  frame.setAttribute('role', 'group');
  frame.setAttribute('aria-roledescription', 'heatmap');
  frame.setAttribute('aria-label', `${name}: attention weights, ${L} queries by ${S} keys.`
    + ' Arrow keys move between cells.');
  frame.setAttribute('aria-describedby', text.id);
  frame.append(svg.node());

  let at = null;
  const show = (i, j) => {
    at = { i, j };
    cursor.attr('x', margin.left + j * cell).attr('y', margin.top + i * cell)
      .attr('visibility', 'visible');
    const isMasked = masked != null && masked[i]?.[j] === null;
    readout.textContent = `Query “${tokens[i]}” (row ${i + 1}) → key “${keyTokens[j]}”`
      + ` (column ${j + 1}): ${NUMBER.format(head[i][j])}${isMasked ? ', masked' : ''}`;
    readout.dataset.row = String(i);
    readout.dataset.col = String(j);
  };
  svg.on('pointermove', (event) => {
    const [x, y] = d3.pointer(event);
    const j = Math.floor((x - margin.left) / cell);
    const i = Math.floor((y - margin.top) / cell);
    if (i >= 0 && i < L && j >= 0 && j < S) show(i, j);
  });
  frame.addEventListener('focus', () => show(at?.i ?? 0, at?.j ?? 0));
  frame.addEventListener('blur', () => cursor.attr('visibility', 'hidden'));
  frame.addEventListener('keydown', (event) => {
    const { i, j } = at ?? { i: 0, j: 0 };
    const moves = {
      ArrowUp: [i - 1, j], ArrowDown: [i + 1, j], ArrowLeft: [i, j - 1], ArrowRight: [i, j + 1],
      Home: [i, 0], End: [i, S - 1], PageUp: [0, j], PageDown: [L - 1, j],
    };
    const next = moves[event.key];
    if (!next) return;
    event.preventDefault();
    show(Math.max(0, Math.min(L - 1, next[0])), Math.max(0, Math.min(S - 1, next[1])));
  });

  figure.append(caption, frame, readout);
  return figure;
}

function table(head, name, tokens, keyTokens, masked) {
  const details = document.createElement('details');
  details.className = 'heatmap-table';
  const summaryEl = document.createElement('summary');
  summaryEl.textContent = `${name} as a table`;
  const scroll = document.createElement('div');
  scroll.className = 'table-scroll';
  scroll.tabIndex = 0;
  scroll.setAttribute('role', 'region');
  scroll.setAttribute('aria-label', `${name} weights table`);
  const t = document.createElement('table');
  t.dataset.testid = 'heatmap-table';
  const caption = t.createCaption();
  caption.textContent = `${name}: weight of each key (column) for each query (row)`;
  const headRow = t.createTHead().insertRow();
  const corner = document.createElement('th');
  corner.scope = 'col';
  corner.textContent = 'query \\ key';
  headRow.append(corner);
  for (const k of keyTokens) {
    const th = document.createElement('th');
    th.scope = 'col';
    th.textContent = k;
    headRow.append(th);
  }
  const body = t.createTBody();
  head.forEach((row, i) => {
    const tr = body.insertRow();
    const th = document.createElement('th');
    th.scope = 'row';
    th.textContent = tokens[i];
    tr.append(th);
    row.forEach((v, j) => {
      const td = tr.insertCell();
      td.dataset.value = String(v);
      td.textContent = masked != null && masked[i]?.[j] === null ? `${NUMBER.format(v)} (masked)`
        : NUMBER.format(v);
    });
  });
  scroll.append(t);
  details.append(summaryEl, scroll);
  return details;
}
