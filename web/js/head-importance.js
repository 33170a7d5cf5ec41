// Experiment kind "head-importance" (chapter "Attention in a trained model"): how far the
// sentence embedding moves when each head alone is pruned (the server's 1 − cosine), as a 6 × 12
// grid of toggle buttons. Pressing heads, or the buttons for the k least or most important heads
// or a whole layer, prunes them together; the page then asks the server for the pruned model's
// embedding and shows its cosine to the unpruned one.

import { dataTable } from './multi-run.js';
import {
  MODEL_ATTENTION, MODEL_IMPORTANCE, ModelExperiment, el, gridAxes, headName,
} from './model-call.js';
import { showFieldError, showState } from './status.js';
import { decimals, significant } from './format.js';

const d3 = globalThis.d3;
const FIVE = decimals(5);
const FOUR = decimals(4);
const TWO_SIGNIFICANT = significant(2);

/** How far below the largest importance the colour scale reaches: four powers of ten. */
const LOG_RANGE = 1e4;

/** A number of any size in a few digits: 0.079, 0.0016, 0.0000079. */
function small(v) {
  return TWO_SIGNIFICANT.format(v);
}

/**
 * Viridis on a logarithmic scale from the smallest positive importance (but at most LOG_RANGE
 * below the largest) to the largest: one pruned head moves the embedding by 0.08 and most by
 * under 0.002, and on a linear scale those would all be the same dark purple.
 */
function importanceScale(values) {
  const max = Math.max(...values, 1e-9);
  const positive = values.filter((v) => v > 0);
  let low = Math.max(Math.min(...positive, max), max / LOG_RANGE);
  if (low >= max) low = max / 10;
  return d3.scaleSequentialLog(d3.interpolateViridis).domain([low, max]).clamp(true);
}

/** The colour bar with its powers of ten, and a mark under it for each head's importance. */
function importanceLegend(colour, values) {
  const [low, max] = colour.domain();
  const width = 300;
  const left = 10;
  const bar = 12;
  const x = d3.scaleLog().domain([low, max]).range([left, left + width]).clamp(true);
  const svg = d3.create('svg')
    .attr('viewBox', `0 0 ${width + 2 * left} ${bar + 30}`)
    .attr('width', width + 2 * left).attr('height', bar + 30)
    .attr('role', 'img')
    .attr('aria-label', `Colour scale, logarithmic: dark purple for ${small(low)} or less `
      + `through green to yellow for ${small(max)}, with a mark under it for each head`);
  const id = `importance-legend-${Math.random().toString(36).slice(2, 9)}`;
  const gradient = svg.append('defs').append('linearGradient').attr('id', id);
  for (let i = 0; i <= 10; i++) {
    gradient.append('stop').attr('offset', `${i * 10}%`)
      .attr('stop-color', colour(low * (max / low) ** (i / 10)));
  }
  svg.append('rect').attr('x', left).attr('y', 0).attr('width', width).attr('height', bar)
    .attr('fill', `url(#${id})`);
  const rug = svg.append('g').attr('class', 'importance-rug');
  for (const v of values) {
    const at = x(Math.max(v, low));
    rug.append('line').attr('x1', at).attr('x2', at).attr('y1', bar + 2).attr('y2', bar + 9);
  }
  const ticks = svg.append('g').attr('class', 'legend-ticks');
  const decades = [];
  for (let k = Math.ceil(Math.log10(low)); k <= Math.floor(Math.log10(max)); k++) {
    decades.push(10 ** k);
  }
  const labels = [...decades];
  // The ends are labelled too where they are not crowded by a power of ten.
  for (const end of [low, max]) {
    if (decades.every((d) => Math.abs(x(d) - x(end)) > 40)) labels.push(end);
  }
  for (const t of labels) {
    const at = x(t);
    ticks.append('text').attr('x', at).attr('y', bar + 24)
      .attr('text-anchor', at < left + 20 ? 'start' : at > left + width - 20 ? 'end' : 'middle')
      .text(small(t));
  }
  return svg.node();
}

export class HeadImportanceExperiment extends ModelExperiment {
  async load(params) {
    const k = params.k;
    if (!Number.isInteger(k) || k < 1 || k > 72) {
      showFieldError(this.root, 'k', 'Enter a whole number from 1 to 72.');
      showState(this.root, 'bad-input', 'Fix the marked input, then press Run.');
      return;
    }
    const request = { text: params.text };
    const answer = await this.call(MODEL_IMPORTANCE, request, 'Pruning each head in turn');
    this.text = params.text;
    this.importance = answer.importance;
    this.root.dataset.request = JSON.stringify(request);
    this.pruned = new Set();
    this.draw(answer);
    this.showCosine(null);
    this.done(`Pruned each of the 72 heads alone on ${answer.tokens.length} tokens in `
      + `${Number(answer.elapsedMillis).toFixed(0)} ms. Press heads to prune them together.`);
  }

  /** Heads sorted from least to most important, as [layer, head]. */
  ranked() {
    const all = [];
    this.importance.forEach((row, l) => row.forEach((v, h) => all.push({ l, h, v })));
    return all.sort((a, b) => a.v - b.v).map(({ l, h }) => [l, h]);
  }

  draw(answer) {
    const slot = this.canvas();
    const { layers, heads, importance } = answer;
    const colour = importanceScale(importance.flat());
    const [low, max] = colour.domain();
    const grid = el('div', 'model-grid importance-grid');
    grid.dataset.testid = 'importance-grid';
    grid.setAttribute('role', 'group');
    grid.setAttribute('aria-label', `Head importance, ${layers} layers down and ${heads} heads`
      + ' across; press a head to prune it or to restore it.');
    grid.style.setProperty('--heads', String(heads));
    grid.append(...gridAxes(heads));
    this.buttons = new Map();
    for (let l = 0; l < layers; l++) {
      grid.append(el('span', 'model-grid-row', String(l + 1)));
      for (let h = 0; h < heads; h++) {
        const v = importance[l][h];
        const b = el('button', 'importance-head');
        b.type = 'button';
        b.dataset.testid = 'importance-head';
        b.dataset.layer = String(l + 1);
        b.dataset.head = String(h + 1);
        b.dataset.value = String(v);
        b.style.backgroundColor = colour(Math.max(v, low));
        b.setAttribute('aria-pressed', 'false');
        b.setAttribute('aria-label', `${headName(l, h)}: importance ${FIVE.format(v)}`);
        b.title = `${headName(l, h)}: 1 − cosine = ${FIVE.format(v)} when pruned alone`;
        b.addEventListener('click', () => {
          const key = `${l},${h}`;
          if (this.pruned.has(key)) this.pruned.delete(key);
          else this.pruned.add(key);
          this.prune();
        });
        grid.append(b);
        this.buttons.set(`${l},${h}`, b);
      }
    }
    const legend = el('div', 'importance-legend');
    legend.dataset.testid = 'importance-legend';
    legend.dataset.scale = 'log';
    legend.dataset.min = String(low);
    legend.dataset.max = String(max);
    legend.append(importanceLegend(colour, importance.flat()), el('p', 'model-grid-note',
      `Colour: importance (1 − cosine when the head alone is pruned) on a logarithmic scale, `
      + `dark purple for ${small(low)} or less to yellow for ${small(max)}, so that each tenfold `
      + 'step is the same step of colour and the many small importances differ as visibly as the '
      + 'few large ones. The marks under the bar are the 72 heads. A crossed head is pruned.'));

    const actions = el('div', 'prune-actions');
    actions.setAttribute('role', 'group');
    actions.setAttribute('aria-label', 'Prune several heads at once');
    const button = (text, testid, onClick) => {
      const b = el('button', 'secondary', text);
      b.type = 'button';
      b.dataset.testid = testid;
      b.addEventListener('click', onClick);
      actions.append(b);
      return b;
    };
    const k = () => {
      const value = Number(this.form.elements.k.value);
      return Number.isInteger(value) && value >= 1 && value <= 72 ? value : null;
    };
    const pruneSet = (pairs) => {
      this.pruned = new Set(pairs.map(([l, h]) => `${l},${h}`));
      this.prune();
    };
    const withK = (pick) => () => {
      const n = k();
      if (n === null) {
        showFieldError(this.root, 'k', 'Enter a whole number from 1 to 72.');
        showState(this.root, 'bad-input', 'Fix the marked input first.');
        return;
      }
      pruneSet(pick(this.ranked(), n));
    };
    button('Prune the k least important', 'prune-least', withK((r, n) => r.slice(0, n)));
    button('Prune the k most important', 'prune-most', withK((r, n) => r.slice(-n)));
    const layerLabel = el('label', 'prune-layer-label', 'Layer ');
    const select = el('select', 'prune-layer');
    select.dataset.testid = 'prune-layer-select';
    for (let l = 0; l < layers; l++) {
      const o = el('option', null, String(l + 1));
      o.value = String(l);
      select.append(o);
    }
    layerLabel.append(select);
    actions.append(layerLabel);
    button('Prune the whole layer', 'prune-layer', () => pruneSet(
      Array.from({ length: heads }, (_, h) => [Number(select.value), h])));
    button('Restore all', 'prune-clear', () => pruneSet([]));

    const cosine = el('p', 'cosine');
    cosine.dataset.testid = 'cosine';
    cosine.setAttribute('aria-live', 'polite');
    this.cosineEl = cosine;

    const rows = [];
    importance.forEach((row, l) => row.forEach((v, h) => rows.push({ l, h, v })));
    const table = dataTable({
      caption: 'Importance of each head (1 − cosine when pruned alone)',
      columns: ['Head', 'Importance'],
      rows: rows.sort((a, b) => b.v - a.v).map(({ l, h, v }) => ({
        cells: [headName(l, h), { text: FIVE.format(v), value: v }] })),
    });
    const details = el('details', 'importance-table');
    details.append(el('summary', null, 'All 72 heads as a table, most important first'), table);
    slot.append(grid, legend, actions, cosine, details);
  }

  prune() {
    const pairs = [...this.pruned].map((key) => key.split(',').map(Number))
      .sort((a, b) => a[0] - b[0] || a[1] - b[1]);
    for (const [key, b] of this.buttons) {
      b.setAttribute('aria-pressed', String(this.pruned.has(key)));
    }
    if (pairs.length === 0) {
      this.showCosine(null);
      this.done('Nothing pruned: the embedding is the unpruned one (cosine 1).');
      return Promise.resolve();
    }
    const request = { text: this.text, prune: pairs };
    return this.act(async () => {
      const answer = await this.call(MODEL_ATTENTION, request,
        `Running the model with ${pairs.length} ${pairs.length === 1 ? 'head' : 'heads'} pruned`);
      this.root.dataset.pruneRequest = JSON.stringify(request);
      this.showCosine(answer.cosine, pairs.length);
      this.done(`Pruned ${pairs.length} of 72 heads; ran in `
        + `${Number(answer.elapsedMillis).toFixed(1)} ms.`);
    });
  }

  showCosine(cosine, count) {
    const p = this.cosineEl;
    if (cosine === null) {
      p.textContent = 'No head pruned: cosine to the unpruned embedding 1.';
      p.dataset.value = '1';
      p.dataset.pruned = '0';
      return;
    }
    p.replaceChildren('Cosine between the embedding with ', el('strong', null,
      `${count} ${count === 1 ? 'head' : 'heads'}`), ' pruned and the unpruned embedding: ',
    el('strong', 'cosine-value', FOUR.format(cosine)), '.');
    p.dataset.value = String(cosine);
    p.dataset.pruned = String(count);
  }
}
