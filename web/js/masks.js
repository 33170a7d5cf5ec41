// Experiment kind "masks" (chapter "Components"): the causal mask and the padding mask side by
// side on the same tokens, each from its own request: head 1's `masked` scores (−∞ where the
// mask blocks) and the `attention` weights that follow from them.

import { attentionRequest } from './step-matrix.js';
import { first, matrixTable } from './matrix-view.js';
import { renderTrace } from './trace-table.js';
import { MultiRunExperiment, el } from './multi-run.js';

class MasksExperiment extends MultiRunExperiment {
  requests(params) {
    const causal = params.causal === 'none' ? 'top-left' : params.causal;
    const padding = Math.max(1, Number(params.padding));
    return [
      { label: `Causal (${causal})`, mask: 'causal',
        body: attentionRequest(params, { causal, padding: 0 }) },
      { label: `Padding (last ${padding} ${padding === 1 ? 'key' : 'keys'})`, mask: 'padding',
        body: attentionRequest(params, { causal: 'none', padding }) },
    ];
  }

  draw(runs) {
    const slot = this.canvas();
    const row = el('div', 'side-by-side');
    for (const run of runs) {
      const { answer } = run;
      const panel = el('section', 'mask-panel');
      panel.dataset.testid = 'mask-panel';
      panel.dataset.mask = run.mask;
      panel.append(el('h4', null, run.label));
      const tokens = answer.tokens;
      const keys = answer.keyTokens ?? tokens;
      const masked = first(answer.trace.find((s) => s.name === 'masked')?.value)?.[0];
      const weights = first(answer.attention)?.[0];
      if (masked) {
        panel.append(matrixTable(masked, { caption: 'masked, head 1',
          rowLabels: tokens, colLabels: keys, testid: 'mask-masked' }));
      }
      if (weights) {
        panel.append(matrixTable(weights, { caption: 'attention, head 1',
          rowLabels: tokens, colLabels: keys, scaleMax: 1,
        testid: 'mask-attention' }));
      }
      row.append(panel);
    }
    slot.append(row);
    const trace = this.root.querySelector('.experiment-output .trace');
    renderTrace(trace, runs[0].answer.trace ?? []);
    for (const r of trace.querySelectorAll('[data-testid="trace-row"]')) {
      if (r.dataset.step === 'masked') r.classList.add('current');
    }
  }
}

export { MasksExperiment };
