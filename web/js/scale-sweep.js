// Experiment kind "scale-sweep" (chapter "Implementation"): one head of width d_k = d_model for
// d_k from 4 to 256, each with scale 1/√d_k and with no scale. From the server's trace this
// draws the spread (standard deviation) of the raw scores QKᵀ and of the scaled scores, and the
// mean entropy of a row of the attention weights, beside its largest possible value ln S.

import { linePlot } from './plot.js';
import { MultiRunExperiment, el } from './multi-run.js';

const WIDTHS = [4, 8, 16, 32, 64, 128, 256];
const SCALES = ['sqrt_dk', 'none'];

function flat(matrix) {
  return matrix.flat().filter((v) => v !== null);
}

export function standardDeviation(values) {
  const mean = values.reduce((a, b) => a + b, 0) / values.length;
  return Math.sqrt(values.reduce((a, v) => a + (v - mean) ** 2, 0) / values.length);
}

/** Mean over rows of −Σ p ln p, in nats. */
export function meanRowEntropy(rows) {
  const entropies = rows.map((row) => -row.reduce((a, p) => a + (p > 0 ? p * Math.log(p) : 0), 0));
  return entropies.reduce((a, b) => a + b, 0) / entropies.length;
}

class ScaleSweepExperiment extends MultiRunExperiment {
  requests(params) {
    return WIDTHS.flatMap((dk) => SCALES.map((scale) => ({
      label: `d_k ${dk}, scale ${scale}`,
      dk, scale,
      body: { queryLength: params.queryLength, modelDim: dk, heads: 1, scale, seed: params.seed },
    })));
  }

  draw(runs) {
    const slot = this.canvas();
    const stats = runs.map((r) => {
      const trace = Object.fromEntries(r.answer.trace.map((s) => [s.name, s.value]));
      return {
        dk: r.dk, scale: r.scale,
        scoresStd: standardDeviation(flat(trace.scores[0][0])),
        scaledStd: standardDeviation(flat(trace.scaled[0][0])),
        entropy: meanRowEntropy(r.answer.attention[0][0]),
        keys: r.answer.spec.keyLength,
      };
    });
    const pick = (scale, f) => stats.filter((s) => s.scale === scale).map((s) => [s.dk, f(s)]);
    this.root.dataset.stats = JSON.stringify(stats);
    const grid = el('div', 'plot-grid');
    grid.append(linePlot({
      title: 'Spread of the scores',
      xLabel: 'd_k', yLabel: 'standard deviation', logX: true,
      series: [
        { name: 'QKᵀ, unscaled', points: pick('none', (s) => s.scaledStd) },
        { name: 'QKᵀ/√d_k', points: pick('sqrt_dk', (s) => s.scaledStd) },
      ],
      testid: 'plot-spread',
    }));
    grid.append(linePlot({
      title: 'Entropy of a row of weights',
      xLabel: 'd_k', yLabel: 'mean entropy (nats)', logX: true,
      series: [
        { name: 'no scale', points: pick('none', (s) => s.entropy) },
        { name: 'scale 1/√d_k', points: pick('sqrt_dk', (s) => s.entropy) },
      ],
      reference: {
        name: `ln S = ln ${stats[0].keys}, uniform weights`, y: Math.log(stats[0].keys),
      },
      testid: 'plot-entropy',
    }));
    slot.append(grid);
    slot.append(el('p', 'widget-note', 'Each point is one request to the server (random inputs'
      + ' and weights from the seed, one head, d_model = d_k); the standard deviations and'
      + ' entropies are computed in your browser from the scores and weights it sent.'));
  }
}

export { ScaleSweepExperiment };
