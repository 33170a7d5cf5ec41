// Base class of the experiments of the chapter "Attention in a trained model": each may call
// several of the model's endpoints (attention, head-importance, similarity) for one figure, and
// later again when the reader clicks a head. Every call goes through api.js and shows the same
// states as any experiment (running, busy, bad input, time-out); a newer call cancels an older.

import { ApiError, postJson } from './api.js';
import { Experiment } from './experiment.js';
import { clearErrors, showState } from './status.js';
import { nextTask } from './tasks.js';

export const MODEL_ATTENTION = '/api/v1/model/attention';
export const MODEL_IMPORTANCE = '/api/v1/model/head-importance';
export const MODEL_SIMILARITY = '/api/v1/model/similarity';

export class ModelExperiment extends Experiment {
  /** Draws the result for `params` (the form's values); calls the server with `call`. */
  async load(params) {
    throw new Error(`${this.kind}: load(params) not implemented`);
  }

  async run(params) {
    this.running?.abort();
    const controller = new AbortController();
    this.running = controller;
    clearErrors(this.root);
    this.controller = controller;
    try {
      await this.load(params);
    } catch (e) {
      if (!(e instanceof ApiError)) throw e;
      if (e.kind !== 'cancelled') this.fail(e);
    } finally {
      if (this.running === controller) this.running = null;
    }
  }

  /**
   * POSTs `body` to `url` under the current run, showing `what` while it runs; resolves to the
   * answer, or throws ApiError (kind 'cancelled' when a newer run replaced this one).
   */
  async call(url, body, what) {
    const signal = this.controller?.signal;
    showState(this.root, 'running', `${what} on the server…`);
    const answer = await postJson(url, body, {
      signal,
      timeoutMs: Number(this.root.dataset.timeoutMs) || undefined,
      onRetry: ({ attempt, retries, delayMs }) => showState(this.root, 'busy',
        `Server busy, retrying in ${Math.max(1, Math.round(delayMs / 1000))} s `
        + `(retry ${attempt} of ${retries})…`),
    });
    if (signal?.aborted) throw new ApiError('cancelled', 'Cancelled');
    this.showWarnings(answer.warnings ?? []);
    return answer;
  }

  /** Runs `work` (which uses `call`) as a new run, e.g. after a click; failures show as states. */
  act(work) {
    this.running?.abort();
    const controller = new AbortController();
    this.running = controller;
    this.controller = controller;
    clearErrors(this.root);
    return work().catch((e) => {
      if (!(e instanceof ApiError)) throw e;
      if (e.kind !== 'cancelled') this.fail(e);
    }).finally(() => {
      if (this.running === controller) this.running = null;
    });
  }

  /** Says done, unless a newer run has started meanwhile (it then owns the status line). */
  done(message) {
    if (this.controller?.signal.aborted) return;
    showState(this.root, 'done', message);
  }

  /** Resolves in a later task, or throws 'cancelled' if a newer run has started meanwhile. */
  async nextTask() {
    const signal = this.controller?.signal;
    await nextTask();
    if (signal?.aborted) throw new ApiError('cancelled', 'Cancelled');
  }

  /** The output slot where the widget draws, emptied. */
  canvas() {
    const slot = this.root.querySelector('.experiment-output .heatmaps');
    slot.replaceChildren();
    return slot;
  }
}

/** An element with a class and text. */
export function el(tag, className, text) {
  const e = document.createElement(tag);
  if (className) e.className = className;
  if (text !== undefined) e.textContent = text;
  return e;
}

/**
 * The labels above a layers × heads grid (CSS grid, a first column for the layer numbers): the
 * axis titles "Head" over the head numbers and "Layer" over the layer numbers, then the numbers.
 */
export function gridAxes(heads) {
  const labels = [el('span', 'model-grid-axis-gap'), el('span', 'model-grid-axis', 'Head'),
    el('span', 'model-grid-corner', 'Layer')];
  for (let h = 0; h < heads; h++) labels.push(el('span', 'model-grid-col', String(h + 1)));
  return labels;
}

/** "Layer 2, head 9" from 0-based indices. */
export function headName(layer, head) {
  return `Layer ${layer + 1}, head ${head + 1}`;
}

/**
 * What a head [L][L] mostly does, from its weights: the largest of the mean weight on the
 * previous token, the next token, [CLS], [SEP] and itself. Returns {pattern, value}.
 */
export function headPattern(weights) {
  const L = weights.length;
  const sums = { 'the previous token': 0, 'the next token': 0, '[CLS]': 0, '[SEP]': 0,
    itself: 0 };
  for (let i = 0; i < L; i++) {
    if (i > 0) sums['the previous token'] += weights[i][i - 1] / (L - 1);
    if (i < L - 1) sums['the next token'] += weights[i][i + 1] / (L - 1);
    sums['[CLS]'] += weights[i][0] / L;
    sums['[SEP]'] += weights[i][L - 1] / L;
    sums.itself += weights[i][i] / L;
  }
  let best = { pattern: 'itself', value: -1 };
  for (const [pattern, value] of Object.entries(sums)) {
    if (value > best.value) best = { pattern, value };
  }
  return best;
}

/** Mean entropy of the rows of the heads [h][L][S], in nats. */
export function meanEntropy(heads) {
  let sum = 0;
  let rows = 0;
  for (const head of heads) {
    for (const row of head) {
      for (const p of row) if (p > 0) sum -= p * Math.log(p);
      rows++;
    }
  }
  return rows > 0 ? sum / rows : 0;
}
