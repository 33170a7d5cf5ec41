// The experiment controller: reads the form, calls the server through api.js, and hands the
// answer to the widgets (heatmap.js, trace-table.js) and the state display (status.js). Every
// experiment runs once with its defaults when the page opens, so a page never shows an empty
// figure.

import { ApiError, postJson } from './api.js';
import { renderHeatmaps } from './heatmap.js';
import { clearErrors, inFormWords, showFieldError, showState } from './status.js';
import { renderTrace } from './trace-table.js';
import { renderReplay } from './tile-replay.js';
import { renderKvCache } from './kv-cache.js';
import { renderCheckpointing } from './checkpointing.js';
import { followSweep } from './length-sweep.js';
import { nextTask } from './tasks.js';

// API fields that the reader sets through another control.
const FIELD_ALIASES = { tokens: 'text', queryLength: 'text', keyLength: 'text' };
const WHOLE_NUMBER = /^-?\d+$/;
const MAX_PREVIEW_HEADS = 4;

/** What each kind of experiment sends: its parameters are the API's fields already. */
const REQUESTS = {
  attention: (params) => ({ ...params }),
  'tiled-replay': (params) => ({ ...params }),
  'length-sweep': (params) => ({ ...params }),
  'kv-cache': (params) => ({ ...params }),
  checkpointing: (params) => ({ ...params }),
  'cross-attention': ({ head, ...params }) => (head === 'none' || head == null
    ? params : { ...params, head: Number(head) }),
};

/** Kinds that start only when the reader presses Run: the long job is not started per visit. */
const ON_REQUEST = new Set(['length-sweep']);

/**
 * How the advanced chapter's kinds draw their answer: into the figure slot (.heatmaps) and the
 * table slot (.trace). Each returns (or resolves to, once all is drawn) the status line.
 */
const WIDGETS = {
  'tiled-replay': (figure, tables, answer) => {
    renderReplay(figure, answer);
    tables.replaceChildren();
    return `Replayed ${answer.steps.length} tiles.`;
  },
  'kv-cache': async (figure, tables, answer) => {
    await renderKvCache(figure, tables, answer);
    return `Decoded ${answer.steps.length} positions.`;
  },
  checkpointing: (figure, tables, answer) => {
    figure.replaceChildren();
    renderCheckpointing(tables, answer);
    return 'Ran the backward pass twice.';
  },
  'cross-attention': async (figure, tables, answer) => {
    await renderHeatmaps(figure, {
      weights: [answer.attention], tokens: answer.tokens, keyTokens: answer.keyTokens,
      masked: null,
    });
    await nextTask();
    renderTrace(tables, answer.trace ?? []);
    return `${answer.tokens.length} query pieces attended to `
      + `${answer.keyTokens.length} key pieces.`;
  },
};

function seconds(ms) {
  return `${Math.max(1, Math.round(ms / 1000))} s`;
}

/** The first batch row of a [B][...] array. */
function first(batched) {
  return Array.isArray(batched) ? batched[0] : null;
}

export class Experiment {
  constructor(root) {
    this.root = root;
    this.form = root.querySelector('form');
    this.kind = root.dataset.experiment;
    this.endpoint = root.dataset.endpoint;
    this.defaults = JSON.parse(root.dataset.defaults);
    this.running = null;
    this.form.addEventListener('submit', (event) => {
      event.preventDefault();
      this.runForm();
    });
    // 'reset' fires before the form restores its defaults: run once they are back.
    this.form.addEventListener('reset', () => setTimeout(() => this.runForm(), 0));
    // The server sends Run disabled: a press before the scripts arrive would do nothing.
    for (const run of this.form.querySelectorAll('button.run')) run.disabled = false;
  }

  /** The API request for `params`; a kind registered with its own class may override it. */
  request(params) {
    return REQUESTS[this.kind](params);
  }

  /** The form's values over the defaults; `errors` lists controls whose value is no number. */
  read() {
    const params = { ...this.defaults };
    const errors = [];
    for (const element of this.form.elements) {
      if (!element.name) continue;
      if (element.type === 'number') {
        const text = element.value.trim();
        if (!WHOLE_NUMBER.test(text)) {
          errors.push({ field: element.name, message: 'Enter a whole number.' });
          continue;
        }
        params[element.name] = Number(text);
      } else {
        params[element.name] = element.value;
      }
    }
    return { params, errors };
  }

  /** Puts `params` into the form's controls (a shared link's values), leaving others alone. */
  fill(params) {
    for (const element of this.form.elements) {
      if (element.name && Object.hasOwn(params, element.name)) {
        element.value = String(params[element.name]);
      }
    }
  }

  runForm() {
    clearErrors(this.root);
    const { params, errors } = this.read();
    if (errors.length > 0) {
      errors.forEach((e) => showFieldError(this.root, e.field, e.message));
      showState(this.root, 'bad-input', 'Fix the marked input, then press Run.');
      return Promise.resolve();
    }
    return this.run(params);
  }

  async run(params) {
    this.running?.abort();
    const controller = new AbortController();
    this.running = controller;
    this.params = params;
    const request = this.request(params);
    clearErrors(this.root);
    showState(this.root, 'running', 'Computing on the server…');
    try {
      const answer = await postJson(this.endpoint, request, {
        signal: controller.signal,
        timeoutMs: Number(this.root.dataset.timeoutMs) || undefined,
        onRetry: ({ attempt, retries, delayMs }) => showState(this.root, 'busy',
          `Server busy, retrying in ${seconds(delayMs)} (retry ${attempt} of ${retries})…`),
      });
      await this.show(answer, request);
    } catch (e) {
      if (!(e instanceof ApiError)) throw e;
      if (e.kind !== 'cancelled') this.fail(e);
    } finally {
      if (this.running === controller) this.running = null;
    }
  }

  /**
   * Draws the answer, a piece per task (heads, then the trace), and only then says done; a newer
   * run started meanwhile takes over the status line.
   */
  async show(answer, request) {
    const run = this.running;
    const output = this.root.querySelector('.experiment-output');
    const heatmaps = output.querySelector('.heatmaps');
    this.root.dataset.request = JSON.stringify(request);
    if (this.kind === 'length-sweep') {
      this.closeJob?.();
      output.querySelector('.trace').replaceChildren();
      showState(this.root, 'running', 'Queued on the server…');
      this.closeJob = followSweep(heatmaps, answer, (state, message) => showState(this.root,
        state, message));
      return;
    }
    const widget = WIDGETS[this.kind];
    if (widget) {
      const message = await widget(heatmaps, output.querySelector('.trace'), answer, request);
      if (this.running !== run) return;
      this.showWarnings(answer.warnings ?? []);
      showState(this.root, 'done', message);
      return;
    }
    const masked = answer.trace?.find((s) => s.name === 'masked')?.value;
    if (answer.attention) {
      await renderHeatmaps(heatmaps, {
        weights: first(answer.attention),
        tokens: answer.tokens,
        keyTokens: answer.keyTokens ?? answer.tokens,
        masked: request.causal && request.causal !== 'none' ? first(masked) : null,
      });
    } else if (answer.attentionPreview) {
      await this.showPreview(heatmaps, answer);
    } else {
      heatmaps.replaceChildren();
    }
    await nextTask();
    if (this.running !== run) return;
    renderTrace(output.querySelector('.trace'), answer.trace ?? []);
    this.showWarnings(answer.warnings ?? []);
    this.root.dataset.request = JSON.stringify(request);
    const spec = answer.spec ?? {};
    const millis = answer.cost?.elapsedMillis;
    this.root.dispatchEvent(new CustomEvent('experiment:result', {
      bubbles: true, detail: { answer, request, params: this.params },
    }));
    showState(this.root, 'done', `Computed ${answer.tokens?.length ?? '?'} tokens, `
      + `${spec.heads ?? request.heads} heads of width d_k = ${spec.headDim ?? '?'}`
      + (millis != null ? ` in ${Number(millis).toFixed(1)} ms.` : '.'));
  }

  /** Attention too large to send whole: the server's pooled picture, a few heads at most. */
  async showPreview(heatmaps, answer) {
    const { factor, values } = answer.attentionPreview;
    const pooled = first(values);
    const shown = pooled.slice(0, MAX_PREVIEW_HEADS);
    const span = (count, names) => Array.from({ length: count }, (_, r) => {
      const from = r * factor;
      const to = Math.min((r + 1) * factor, names.length);
      return factor === 1 ? names[from] : `${from + 1}–${to}`;
    });
    const tokens = answer.tokens
      ?? Array.from({ length: answer.spec.queryLength }, (_, i) => `${i + 1}`);
    const keys = answer.keyTokens ?? tokens;
    const drawn = renderHeatmaps(heatmaps, {
      weights: shown,
      tokens: span(shown[0].length, tokens),
      keyTokens: span(shown[0][0].length, keys),
      masked: null,
      pooled: true,
    });
    const note = document.createElement('p');
    note.className = 'preview-note';
    note.textContent = `Too many weights to send whole: each cell is the mean of a ${factor} × `
      + `${factor} block${pooled.length > shown.length
        ? `, and only heads 1–${shown.length} of ${pooled.length} are drawn` : ''}.`;
    heatmaps.prepend(note);
    await drawn;
  }

  showWarnings(warnings) {
    const output = this.root.querySelector('.experiment-output');
    output.querySelector('.warnings')?.remove();
    if (warnings.length === 0) return;
    const list = document.createElement('ul');
    list.className = 'warnings';
    for (const w of warnings) {
      const li = document.createElement('li');
      li.textContent = w;
      list.append(li);
    }
    output.prepend(list);
  }

  fail(error) {
    switch (error.kind) {
      case 'bad-input':
        if (showFieldError(this.root, FIELD_ALIASES[error.field] ?? error.field, error.message)) {
          showState(this.root, 'bad-input', 'Not run: the server refused the marked input.');
        } else {
          showState(this.root, 'bad-input', `Not run: ${inFormWords(this.root, error.message)}`);
        }
        break;
      case 'busy':
        showState(this.root, 'busy', error.message);
        break;
      case 'timeout':
        showState(this.root, 'timeout', `${error.message} Press Run to try again.`);
        break;
      case 'unavailable':
        showState(this.root, 'unavailable', `${error.message} Try again in `
          + `${seconds(error.retryAfterMs ?? 2000)}.`);
        break;
      default:
        showState(this.root, 'error', error.message);
    }
  }
}

const KINDS = new Map();

/** Draws experiments of `kind` with `ExperimentClass`, a subclass of Experiment. */
export function registerKind(kind, ExperimentClass) {
  KINDS.set(kind, ExperimentClass);
}

/**
 * Starts every experiment on the page and runs each with its defaults, or with the values
 * `initialParams(root, defaults)` returns for it (a shared link's), which also fill its form.
 */
export function startExperiments(doc, { initialParams = () => null } = {}) {
  for (const root of doc.querySelectorAll('[data-experiment]')) {
    const ExperimentClass = KINDS.get(root.dataset.experiment) ?? Experiment;
    const experiment = new ExperimentClass(root);
    root.experiment = experiment;
    const shared = initialParams(root, experiment.defaults);
    if (shared) experiment.fill(shared);
    if (ON_REQUEST.has(experiment.kind)) {
      showState(root, 'idle', 'This sweep runs for a while: press Run to start it.');
      continue;
    }
    experiment.run({ ...experiment.defaults, ...(shared ?? {}) });
  }
}
