// Experiment kind "softmax" (chapter "Implementation"): the reader's logits become the scores of
// one query against one key each, by sending explicit one-number inputs with identity weights
// and no scale (score_j = 1 · logit_j), so the weights shown are the server's own softmax.

import { MultiRunExperiment, dataTable } from './multi-run.js';
import { decimals } from './format.js';

const WEIGHT = decimals(4);

/** "1000, 999" -> [1000, 999]; null when a part is not a finite number. */
export function parseLogits(text) {
  const parts = String(text).split(/[,;\s]+/).filter((p) => p !== '');
  const numbers = parts.map((p) => Number(p.replace('−', '-')));
  return numbers.length > 0 && numbers.every(Number.isFinite) ? numbers : null;
}

class SoftmaxExperiment extends MultiRunExperiment {
  runForm() {
    const { params } = this.read();
    const logits = parseLogits(params.logits);
    if (!logits || logits.length > 16) {
      this.fail({ kind: 'bad-input', field: 'logits',
        message: 'Write 1 to 16 numbers separated by commas, e.g. 1000, 999.' });
      return Promise.resolve();
    }
    return this.run(params);
  }

  requests(params) {
    const logits = parseLogits(params.logits) ?? [1000, 999];
    const keys = logits.map((l) => [l]);
    return [{
      label: 'softmax',
      body: {
        queryLength: 1, keyLength: logits.length, modelDim: 1, heads: 1, headDim: 1,
        scale: 'none', query: [[[1]]], key: [keys], value: [keys],
        weights: { wq: [[1]], wk: [[1]], wv: [[1]], wo: [[1]] },
      },
    }];
  }

  draw(runs) {
    const slot = this.canvas();
    const { answer } = runs[0];
    const scaled = answer.trace.find((s) => s.name === 'scaled').value[0][0][0];
    const weights = answer.attention[0][0][0];
    const rows = scaled.map((logit, j) => ({
      data: { key: j },
      cells: [
        `key ${j + 1}`,
        { text: String(logit), className: 'num', value: logit },
        { text: WEIGHT.format(weights[j]), className: 'num', value: weights[j] },
      ],
    }));
    slot.append(dataTable({
      caption: 'Scores (trace step "scaled") and weights',
      columns: ['Key', 'Score', 'Weight'], rows, testid: 'softmax-table', rowTestid: 'softmax-row',
    }));
  }
}

export { SoftmaxExperiment };
