// Experiment kind "model-view" (chapter "Attention in a trained model"): all 72 heads of the
// pretrained encoder as small heatmaps, 6 layers down by 12 heads across, each a button that
// opens the head view (head-view.js) below the grid; then attention rollout across the layers
// (Abnar & Zuidema 2020) as computed by the server. Arrow keys move between heads.

import { renderHeatmaps } from './heatmap.js';
import { drawHeadView, inRange } from './head-view.js';
import {
  MODEL_ATTENTION, ModelExperiment, el, gridAxes, headName, headPattern, meanEntropy,
} from './model-call.js';
import { decimals } from './format.js';

const d3 = globalThis.d3;
const ENTROPY = decimals(2);

/** A canvas of the weights [L][L], one pixel per weight (CSS scales it up). */
function thumbnail(weights) {
  const L = weights.length;
  const canvas = document.createElement('canvas');
  canvas.width = L;
  canvas.height = L;
  canvas.setAttribute('aria-hidden', 'true');
  const ctx = canvas.getContext('2d');
  const image = ctx.createImageData(L, L);
  weights.forEach((row, i) => row.forEach((v, j) => {
    const c = d3.rgb(d3.interpolateViridis(Math.min(1, v)));
    const at = 4 * (i * L + j);
    image.data.set([c.r, c.g, c.b, 255], at);
  }));
  ctx.putImageData(image, 0, 0);
  return canvas;
}

export class ModelViewExperiment extends ModelExperiment {
  async load(params) {
    if (!inRange(this.root, params, 'layer', 6) || !inRange(this.root, params, 'head', 12)) {
      return;
    }
    const request = { text: params.text };
    const answer = await this.call(MODEL_ATTENTION, request, 'Running the model');
    this.answer = answer;
    this.text = params.text;
    this.root.dataset.request = JSON.stringify(request);
    const slot = this.canvas();
    await this.drawGrid(slot, answer);
    await this.nextTask();
    this.detail = el('div', 'model-view-detail');
    slot.append(this.detail);
    await this.open(params.layer - 1, params.head - 1, false);
  }

  /**
   * The 6 × 12 grid, a layer per task; a long sentence's heads come as the server's pooled
   * preview.
   */
  async drawGrid(slot, answer) {
    const { layers, heads, tokens } = answer;
    const attention = answer.attention ?? answer.attentionPreview.values;
    const wrap = el('div', 'model-grid-wrap');
    const grid = el('div', 'model-grid');
    grid.dataset.testid = 'model-grid';
    grid.setAttribute('role', 'group');
    grid.setAttribute('aria-label', `All ${layers * heads} heads: ${layers} layers down, `
      + `${heads} heads across. Arrow keys move between heads; Enter opens one.`);
    grid.style.setProperty('--heads', String(heads));
    grid.append(...gridAxes(heads));
    this.buttons = [];
    for (let l = 0; l < layers; l++) {
      if (l > 0) await this.nextTask();
      const rowLabel = el('span', 'model-grid-row');
      rowLabel.append(el('strong', null, String(l + 1)));
      const entropy = answer.attention ? meanEntropy(attention[l]) : null;
      if (entropy !== null) {
        const e = el('span', 'entropy', `H ${ENTROPY.format(entropy)}`);
        e.dataset.testid = 'layer-entropy';
        e.dataset.value = String(entropy);
        e.title = `Mean entropy of the attention rows in layer ${l + 1}, in nats`;
        rowLabel.append(e);
      }
      grid.append(rowLabel);
      for (let h = 0; h < heads; h++) {
        const weights = attention[l][h];
        const b = el('button', 'model-head');
        b.type = 'button';
        b.dataset.testid = 'model-head';
        b.dataset.layer = String(l + 1);
        b.dataset.head = String(h + 1);
        b.tabIndex = l === 0 && h === 0 ? 0 : -1;
        const { pattern, value } = headPattern(weights);
        const label = answer.attention
          ? `${headName(l, h)}: most weight on ${pattern} (${value.toFixed(2)})`
          : `${headName(l, h)} (pooled preview)`;
        b.setAttribute('aria-label', label);
        b.title = label;
        b.append(thumbnail(weights));
        b.addEventListener('click', () => this.act(() => this.open(l, h, true)));
        b.addEventListener('keydown', (event) => this.move(event, l, h, layers, heads));
        grid.append(b);
        this.buttons.push(b);
      }
    }
    wrap.append(grid);
    const note = el('p', 'model-grid-note', `Each square is one head: row i is what token i `
      + `attends to, dark purple 0, yellow 1. H is the mean entropy of a row in nats, computed on `
      + `this page (uniform over ${tokens.length} tokens would be `
      + `${ENTROPY.format(Math.log(tokens.length))}).`);
    slot.append(wrap, note);
  }

  move(event, l, h, layers, heads) {
    const moves = { ArrowUp: [l - 1, h], ArrowDown: [l + 1, h], ArrowLeft: [l, h - 1],
      ArrowRight: [l, h + 1], Home: [l, 0], End: [l, heads - 1] };
    const next = moves[event.key];
    if (!next) return;
    event.preventDefault();
    const nl = Math.max(0, Math.min(layers - 1, next[0]));
    const nh = Math.max(0, Math.min(heads - 1, next[1]));
    const target = this.buttons[nl * heads + nh];
    for (const b of this.buttons) b.tabIndex = -1;
    target.tabIndex = 0;
    target.focus();
  }

  /** Opens head (l, h) in the head view under the grid; then draws the rollout. */
  async open(l, h, clicked) {
    const answer = this.answer;
    for (const b of this.buttons) {
      const on = Number(b.dataset.layer) === l + 1 && Number(b.dataset.head) === h + 1;
      b.setAttribute('aria-pressed', String(on));
      if (on) {
        for (const other of this.buttons) other.tabIndex = -1;
        b.tabIndex = 0;
      }
    }
    let weights = answer.attention?.[l]?.[h];
    if (!weights) {
      const full = await this.call(MODEL_ATTENTION, { text: this.text, layer: l, head: h },
        `Fetching ${headName(l, h).toLowerCase()} in full`);
      weights = full.headAttention;
    }
    this.form.elements.layer.value = String(l + 1);
    this.form.elements.head.value = String(h + 1);
    this.detail.replaceChildren();
    const view = await drawHeadView(this.detail, { weights, tokens: answer.tokens, layer: l,
      head: h });
    await this.nextTask();
    const rollout = el('section', 'rollout');
    rollout.dataset.testid = 'rollout';
    rollout.append(el('h4', null, 'Attention rollout across the six layers'));
    rollout.append(el('p', 'rollout-note', 'Computed by the server: each layer’s heads '
      + 'averaged, half added to the identity for the residual path, rows renormalised, and the '
      + 'six matrices multiplied (Abnar & Zuidema 2020).'));
    const maps = el('div', 'heatmaps-inner');
    rollout.append(maps);
    this.detail.append(rollout);
    await renderHeatmaps(maps, { weights: [answer.rollout], tokens: answer.tokens,
      keyTokens: answer.tokens, names: ['Rollout'] });
    if (clicked) view.querySelector('.head-view-title').scrollIntoView({ block: 'nearest' });
    this.done(`Ran the 6 layers × 12 heads on ${answer.tokens.length} tokens in `
      + `${Number(answer.elapsedMillis).toFixed(1)} ms; showing `
      + `${headName(l, h).toLowerCase()}.`);
  }
}
