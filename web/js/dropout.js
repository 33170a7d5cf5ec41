// Experiment kind "dropout" (chapter "Implementation"): head 1's attention weights before
// dropout (trace step "attention") and the weights the server applied to the values (the
// response's `attention`: after dropout in training, the same in evaluation), with row sums.

import { first, matrixTable, words } from './matrix-view.js';
import { MultiRunExperiment, el } from './multi-run.js';

function withRowSums(matrix) {
  return matrix.map((row) => [...row, row.reduce((a, b) => a + b, 0)]);
}

class DropoutExperiment extends MultiRunExperiment {
  requests(params) {
    return [{
      label: 'dropout',
      body: {
        tokens: words(params.text), modelDim: params.modelDim, heads: params.heads,
        seed: params.seed, dropout: Number(params.dropout), training: params.training === 'true',
      },
    }];
  }

  draw(runs) {
    const slot = this.canvas();
    const { answer, body } = runs[0];
    const tokens = answer.tokens;
    const before = first(answer.trace.find((s) => s.name === 'attention').value)[0];
    const applied = first(answer.attention)[0];
    const cols = [...tokens, 'row sum'];
    const max = Math.max(1, ...applied.flat());
    const row = el('div', 'side-by-side');
    const panel = (title, matrix, testid) => {
      const p = el('section', 'mask-panel');
      p.append(el('h4', null, title));
      p.append(matrixTable(withRowSums(matrix), { caption: 'head 1, with the sum of each row',
        rowLabels: tokens, colLabels: cols, scaleMax: max, testid, plainFrom: tokens.length }));
      return p;
    };
    row.append(panel('Softmax weights A', before, 'dropout-before'));
    row.append(panel(body.training ? `Applied in training (p = ${body.dropout})`
      : 'Applied in evaluation', applied, 'dropout-applied'));
    slot.append(row);
    const dropped = applied.flat().filter((v, k) => v === 0 && before.flat()[k] !== 0).length;
    slot.append(el('p', 'widget-note', body.training
      ? `${dropped} of ${applied.flat().length} weights of head 1 were dropped; the others were`
        + ` multiplied by 1/(1 − ${body.dropout}) = ${(1 / (1 - body.dropout)).toFixed(4)}.`
      : 'In evaluation the server applies no dropout: both tables are the same.'));
  }
}

export { DropoutExperiment };
