// Experiment kind "step" (chapter "Components"): one step of multi-head attention drawn from the
// trace entry the server returns for it: its output shape, its intermediate matrix (the trace's
// `value`, one table per head for [B, h, …] steps) and the whole shape trace with that step
// marked. When the directive names an exercise in `reveal`, the result stays covered until the
// reader has answered it (or asks to see it anyway).

import { Experiment } from './experiment.js';
import { RevealGate } from './reveal.js';
import { first, matrixTable, shapeText, words } from './matrix-view.js';
import { showState } from './status.js';
import { renderTrace } from './trace-table.js';

/** The API request of the "step" and "masks" kinds: tokens are sent so the page knows L and S. */
export function attentionRequest(params, overrides = {}) {
  const tokens = words(params.text);
  const keyTokens = words(params.keyText);
  const request = {
    tokens,
    modelDim: params.modelDim,
    heads: params.heads,
    causal: params.causal ?? 'none',
    seed: params.seed,
    ...overrides,
  };
  if (keyTokens.length > 0) request.keyTokens = keyTokens;
  const keyLength = keyTokens.length > 0 ? keyTokens.length : tokens.length;
  const padding = Math.min(Number(overrides.padding ?? params.padding ?? 0), keyLength);
  delete request.padding;
  if (padding > 0) {
    request.keyPadding = [Array.from({ length: keyLength }, (_, j) => j >= keyLength - padding)];
  }
  return request;
}

/** Row and column labels of a step's matrix: tokens where the axis is a token axis. */
export function axisLabels(step, answer) {
  const tokens = answer.tokens ?? [];
  const keys = answer.keyTokens ?? tokens;
  const shape = step.outputShape;
  const rowsAreKeys = step.name === 'k' || step.name === 'v';
  const rowLabels = rowsAreKeys ? keys : tokens;
  const cols = shape[shape.length - 1];
  const keyColumns = ['scores', 'scaled', 'masked', 'attention', 'dropout'].includes(step.name);
  return { rowLabels, colLabels: keyColumns ? keys.slice(0, cols) : null };
}

/** One table per head (4-D steps) or one table (3-D steps) of the first batch row. */
export function stepTables(step, answer, { heads = Infinity } = {}) {
  const wrap = document.createElement('div');
  wrap.className = 'step-matrices';
  const value = first(step.value);
  if (!value) {
    const note = document.createElement('p');
    note.textContent = `This step has more than 4,096 values, so the server sent its shape only.`;
    wrap.append(note);
    return wrap;
  }
  const { rowLabels, colLabels } = axisLabels(step, answer);
  const perHead = step.outputShape.length === 4;
  const blocks = perHead ? value.slice(0, heads) : [value];
  blocks.forEach((matrix, h) => {
    const caption = perHead
      ? `${step.name}, head ${h + 1}: ${matrix.length} × ${matrix[0]?.length ?? 0}`
      : `${step.name}: ${matrix.length} × ${matrix[0]?.length ?? 0}`;
    const table = matrixTable(matrix, {
      caption, rowLabels, colLabels, testid: 'step-matrix',
    });
    table.dataset.head = String(perHead ? h : -1);
    wrap.append(table);
  });
  return wrap;
}

class StepExperiment extends Experiment {
  constructor(root) {
    super(root);
    this.gate = new RevealGate(root, this.defaults.reveal);
  }

  request(params) {
    return attentionRequest(params);
  }

  show(answer, request) {
    const output = this.root.querySelector('.experiment-output');
    const name = this.defaults.step;
    const step = (answer.trace ?? []).find((s) => s.name === name);
    const heatmaps = output.querySelector('.heatmaps');
    heatmaps.replaceChildren();
    const result = document.createElement('div');
    result.className = 'step-result';
    const shape = document.createElement('p');
    shape.className = 'step-shape';
    shape.dataset.testid = 'step-shape';
    shape.dataset.shape = JSON.stringify(step?.outputShape ?? []);
    const inputs = (step?.inputs ?? []).map((i) => `${i.name} ${shapeText(i.shape)}`).join(', ');
    const strong = document.createElement('strong');
    strong.textContent = step ? `${name} has shape ${shapeText(step.outputShape)}` : name;
    shape.append(strong, step ? ` (from ${inputs}).` : ' is not in this trace.');
    result.append(shape);
    if (step) result.append(stepTables(step, answer));
    heatmaps.append(result);
    renderTrace(output.querySelector('.trace'), answer.trace ?? []);
    for (const row of output.querySelectorAll('[data-testid="trace-row"]')) {
      if (row.dataset.step === name) {
        row.classList.add('current');
        row.setAttribute('aria-current', 'step');
      }
    }
    this.gate.cover([result, output.querySelector('.trace')]);
    this.showWarnings(answer.warnings ?? []);
    this.root.dataset.request = JSON.stringify(request);
    const spec = answer.spec ?? {};
    showState(this.root, 'done', `Computed: L = ${spec.queryLength}, S = ${spec.keyLength},`
      + ` h = ${spec.heads}, d_k = ${spec.headDim}`
      + ` in ${Number(answer.cost?.elapsedMillis ?? 0).toFixed(1)} ms.`);
  }
}

export { StepExperiment };
