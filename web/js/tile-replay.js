// The tiled algorithm replayed tile by tile (POST /api/v1/advanced/tiled-replay): a slider
// chooses the tile, a grid shows which tiles are done, pending or skipped, and a table shows
// batch 0, head 0's running maximum m, normaliser ℓ and accumulator O / ℓ for the current
// query block. The last line compares the tiled output with the full computation.

import { el, table, value } from './dom.js';

const STATE = ['pending', 'done', 'skipped'];

export function renderReplay(container, answer) {
  const { steps, tokens } = answer;
  container.replaceChildren();
  const names = tokens ?? Array.from({ length: answer.spec.queryLength }, (_, i) => `${i}`);
  const keyNames = answer.keyTokens ?? names;

  const label = el('label', 'replay-label', 'Tile ');
  const slider = el('input');
  slider.type = 'range';
  slider.min = '0';
  slider.max = String(steps.length - 1);
  slider.value = '0';
  slider.dataset.testid = 'replay-slider';
  label.append(slider);
  const where = el('p', 'replay-where');
  where.setAttribute('aria-live', 'polite');
  const grid = el('div', 'tile-grid');
  grid.dataset.testid = 'tile-grid';
  grid.style.gridTemplateColumns = `repeat(${answer.keyBlocks}, 2rem)`;
  const state = el('div', 'replay-state');
  const final = el('p', 'replay-final', `After the last tile, the largest difference from the `
    + `full computation is ${answer.maxDifference.toExponential(1)}.`);
  final.dataset.testid = 'replay-difference';
  container.append(label, where, grid, state, final);

  const show = (index) => {
    const s = steps[index];
    where.textContent = `Tile ${index + 1} of ${steps.length}: query block I = ${s.queryBlock} `
      + `(${names.slice(s.i0, s.i1).join(' ')}) against key block J = ${s.keyBlock} `
      + `(${keyNames.slice(s.j0, s.j1).join(' ')})`
      + `${s.skipped ? ', skipped by the causal mask' : ''}.`;
    grid.replaceChildren();
    s.tiles.forEach((row, i) => row.forEach((t, j) => {
      const cell = el('span', `tile tile-${STATE[t]}`);
      if (i === s.queryBlock && j === s.keyBlock) cell.classList.add('tile-current');
      cell.title = `I = ${i}, J = ${j}: ${STATE[t]}`;
      cell.setAttribute('role', 'img');
      cell.setAttribute('aria-label', cell.title);
      grid.append(cell);
    }));
    if (s.skipped) {
      state.replaceChildren(el('p', null, 'Nothing is computed for this tile.'));
      return;
    }
    const rows = [];
    for (let r = 0; r < s.i1 - s.i0; r++) {
      const m = s.rowMax[0][0][r];
      const l = s.rowSum[0][0][r];
      const o = s.accumulator[0][0][r].slice(0, 3).map((v) => value(l ? v / l : 0)).join(', ');
      rows.push([names[s.i0 + r], value(m), value(l), `${o}…`]);
    }
    state.replaceChildren(table('Head 0 after this tile', ['query', 'running max m',
      'normaliser ℓ', 'O / ℓ (first 3)'], rows, 'replay-state'));
  };
  slider.addEventListener('input', () => show(Number(slider.value)));
  show(0);
}
