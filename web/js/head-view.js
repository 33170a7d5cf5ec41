// Experiment kind "head-view" (chapter "Attention in a trained model"): one head of the
// pretrained encoder on the reader's sentence, as a heatmap (heatmap.js) with a strip of the
// tokens above it; hovering or focusing a token highlights its row and names the keys it
// attends to most. model-view.js draws the same view for the head clicked in its grid.

import { renderHeatmaps } from './heatmap.js';
import { MODEL_ATTENTION, ModelExperiment, el, headName, headPattern } from './model-call.js';
import { showFieldError, showState } from './status.js';
import { decimals } from './format.js';

const NUMBER = decimals(3);
const TOP_KEYS = 3;

/** The keys of `row` with the largest weights, as text. */
function topKeys(row, tokens) {
  return row.map((v, j) => ({ v, j })).sort((a, b) => b.v - a.v).slice(0, TOP_KEYS)
    .map(({ v, j }) => `“${tokens[j]}” ${NUMBER.format(v)}`).join(', ');
}

/**
 * Draws head `head` of layer `layer` (0-based) into `slot`: weights [L][L], tokens [L]. Returns
 * the view; resolves once its heatmap and table are drawn.
 */
export async function drawHeadView(slot, { weights, tokens, layer, head }) {
  const section = el('section', 'head-view');
  section.dataset.testid = 'head-view';
  section.dataset.layer = String(layer + 1);
  section.dataset.head = String(head + 1);
  const name = headName(layer, head);
  const { pattern, value } = headPattern(weights);
  section.append(el('h4', 'head-view-title', name));
  section.append(el('p', 'head-view-pattern', `Its largest mean weight goes to ${pattern}`
    + ` (${NUMBER.format(value)} on average over the rows), computed on this page from the`
    + ' weights below.'));

  const strip = el('div', 'token-strip');
  strip.setAttribute('role', 'group');
  strip.setAttribute('aria-label', `Tokens of the sentence: hover or focus one to highlight its`
    + ' row and read where it looks');
  const readout = el('p', 'token-readout', 'Hover over or focus a token to see where it looks.');
  readout.dataset.testid = 'token-readout';
  readout.setAttribute('aria-live', 'polite');
  const maps = el('div', 'heatmaps-inner');
  const highlight = (i) => {
    for (const b of strip.children) b.classList.toggle('active', Number(b.dataset.row) === i);
    for (const cell of maps.querySelectorAll('.cell')) {
      cell.classList.toggle('dim', i !== null && Number(cell.dataset.row) !== i);
    }
    readout.textContent = i === null ? 'Hover over or focus a token to see where it looks.'
      : `“${tokens[i]}” (row ${i + 1}) attends most to ${topKeys(weights[i], tokens)}.`;
    if (i !== null) readout.dataset.row = String(i);
  };
  tokens.forEach((t, i) => {
    const b = el('button', 'token', t);
    b.type = 'button';
    b.dataset.row = String(i);
    b.dataset.testid = 'token';
    b.addEventListener('pointerenter', () => highlight(i));
    b.addEventListener('focus', () => highlight(i));
    b.addEventListener('click', () => highlight(i));
    strip.append(b);
  });
  // Leaving with the pointer keeps the row of a token that has the keyboard focus.
  strip.addEventListener('pointerleave', () => {
    const focused = strip.contains(document.activeElement) ? document.activeElement : null;
    highlight(focused ? Number(focused.dataset.row) : null);
  });
  section.append(strip, readout, maps);
  slot.append(section);
  await renderHeatmaps(maps, { weights: [weights], tokens, keyTokens: tokens, names: [name] });
  return section;
}

/** Checks a 1-based layer or head input; shows the error and returns false when out of range. */
export function inRange(root, params, name, max) {
  const v = params[name];
  if (Number.isInteger(v) && v >= 1 && v <= max) return true;
  showFieldError(root, name, `Enter a whole number from 1 to ${max}.`);
  showState(root, 'bad-input', 'Fix the marked input, then press Run.');
  return false;
}

export class HeadViewExperiment extends ModelExperiment {
  async load(params) {
    if (!inRange(this.root, params, 'layer', 6) || !inRange(this.root, params, 'head', 12)) {
      return;
    }
    const request = { text: params.text, layer: params.layer - 1, head: params.head - 1 };
    const answer = await this.call(MODEL_ATTENTION, request, 'Running the model');
    const slot = this.canvas();
    await drawHeadView(slot, { weights: answer.headAttention, tokens: answer.tokens,
      layer: request.layer, head: request.head });
    this.root.dataset.request = JSON.stringify(request);
    this.done(`Ran the 6 layers on ${answer.tokens.length} tokens in `
      + `${Number(answer.elapsedMillis).toFixed(1)} ms; showing ${headName(request.layer,
        request.head).toLowerCase()}.`);
  }
}
