// The shape trace: one row per step of the computation, named as in the engine and the JSON
// (q, k, v, splitHeads, scores, scaled, masked, attention, headOutputs, concat, output), with the
// step's formula, the shapes that go in, the shape that comes out and what it costs.

import { renderWhenNear } from './math.js';
import { COUNT } from './format.js';


function shape(dims) {
  return `[${dims.join(', ')}]`;
}

function bytes(n) {
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} KiB`;
  return `${(n / 1024 / 1024).toFixed(1)} MiB`;
}

function cell(row, content, className) {
  const td = row.insertCell();
  if (className) td.className = className;
  if (content instanceof Node) td.append(content);
  else td.textContent = content;
  return td;
}

/**
 * Draws the table; its formulas (TeX made by the API) are rendered by KaTeX in the browser once
 * the table comes near the screen, a few at a time (math.js), so that the table and the figure
 * above it wait for neither KaTeX nor a dozen formulas in one long task.
 * @param {HTMLElement} container emptied and refilled
 * @param {Array<{name: string, formula: string, inputs: {name: string, shape: number[]}[],
 *   outputShape: number[], flops: number, elementOps: number, bytes: number}>} trace
 */
export function renderTrace(container, trace) {
  container.replaceChildren();
  const heading = document.createElement('h4');
  heading.textContent = 'Shape trace';
  const scroll = document.createElement('div');
  scroll.className = 'table-scroll';
  scroll.tabIndex = 0;
  scroll.setAttribute('role', 'region');
  scroll.setAttribute('aria-label', 'Shape trace table');
  const table = document.createElement('table');
  table.className = 'trace-table';
  table.dataset.testid = 'trace-table';
  table.createCaption().textContent = 'Shape trace of the last run';
  const about = document.createElement('p');
  about.className = 'trace-about';
  about.textContent = 'Every step the server computed, in order: what goes in, what comes out'
    + ' (B batch, h heads, L queries, S keys, d_k head width) and what it costs: FLOPs of'
    + ' matrix products (2 per multiply-add), element-wise operations, and the size of its'
    + ' output in 32-bit floats.';
  const head = table.createTHead().insertRow();
  for (const title of ['#', 'Step', 'Formula', 'Inputs', 'Output', 'Cost']) {
    const th = document.createElement('th');
    th.scope = 'col';
    th.textContent = title;
    head.append(th);
  }
  const body = table.createTBody();
  const formulas = [];
  trace.forEach((step, index) => {
    const row = body.insertRow();
    row.dataset.testid = 'trace-row';
    row.dataset.step = step.name;
    row.dataset.outputShape = JSON.stringify(step.outputShape);
    cell(row, String(index + 1), 'num');
    const name = document.createElement('code');
    name.textContent = step.name;
    cell(row, name);
    const formula = document.createElement('span');
    formula.textContent = step.formula;
    formulas.push(formula);
    cell(row, formula, 'formula');
    const inputs = document.createElement('ul');
    inputs.className = 'inputs';
    for (const input of step.inputs ?? []) {
      const li = document.createElement('li');
      const n = document.createElement('span');
      n.className = 'input-name';
      n.textContent = input.name;
      li.append(n, ` ${shape(input.shape)}`);
      inputs.append(li);
    }
    cell(row, inputs);
    cell(row, shape(step.outputShape), 'shape');
    const cost = document.createElement('ul');
    cost.className = 'cost';
    for (const [value, unit] of [[COUNT.format(step.flops), 'FLOPs'],
      [COUNT.format(step.elementOps), 'element ops'], [bytes(step.bytes), 'out']]) {
      const li = document.createElement('li');
      const number = document.createElement('span');
      number.className = 'cost-value';
      number.textContent = value;
      li.append(number, ` ${unit}`);
      cost.append(li);
    }
    cell(row, cost, 'cost');
  });
  scroll.append(table);
  container.append(heading, about, scroll);
  renderWhenNear(formulas);
}
