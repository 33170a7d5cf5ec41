// Experiment kind "cost-sweep" (chapter "Implementation"): the cost the server reports for
// h = 1 … 16 heads at the reader's L and d_model, either splitting d_model among the heads
// (d_k = d_model / h) or giving every head d_k = 64: FLOPs and peak bytes by the engine's cost
// model, and the time it measured.

import { bytesText } from './compare-implementations.js';
import { linePlot } from './plot.js';
import { MultiRunExperiment, dataTable, el } from './multi-run.js';
import { COUNT } from './format.js';

const HEADS = [1, 2, 4, 8, 16];

class CostSweepExperiment extends MultiRunExperiment {
  requests(params) {
    const split = params.sweep !== 'fixed';
    return HEADS.filter((h) => !split || params.modelDim % h === 0).map((h) => ({
      label: `h = ${h}`,
      heads: h,
      body: {
        queryLength: params.queryLength, modelDim: params.modelDim, heads: h,
        headDim: split ? params.modelDim / h : 64, seed: params.seed,
      },
    }));
  }

  /** The weights are not drawn here, so the note that they were pooled is beside the point. */
  shows(text) {
    return !text.includes('attentionPreview');
  }

  draw(runs) {
    const slot = this.canvas();
    const points = (f) => runs.map((r) => [r.heads, f(r.answer.cost)]);
    const grid = el('div', 'plot-grid');
    grid.append(linePlot({ title: 'FLOPs', xLabel: 'heads h', yLabel: 'FLOPs', logX: true,
      series: [{ name: 'matrix-product FLOPs', points: points((c) => c.flops) }],
      format: (v) => COUNT.format(v), testid: 'plot-flops' }));
    grid.append(linePlot({ title: 'Peak memory', xLabel: 'heads h', yLabel: 'bytes', logX: true,
      series: [{ name: 'peak bytes', points: points((c) => c.peakBytes) }],
      format: bytesText, testid: 'plot-bytes' }));
    grid.append(linePlot({ title: 'Measured time', xLabel: 'heads h', yLabel: 'milliseconds',
      logX: true, series: [{ name: 'time on the server', points: points((c) => c.elapsedMillis) }],
      format: (v) => `${v.toFixed(2)} ms`, axisFormat: '~g', testid: 'plot-time' }));
    slot.append(grid);
    slot.append(dataTable({
      caption: 'What the server reported for each number of heads',
      columns: ['Heads h', 'd_k', 'FLOPs', 'Peak memory', 'Measured time'],
      rows: runs.map((r) => ({
        data: { heads: r.heads, flops: r.answer.cost.flops, peakBytes: r.answer.cost.peakBytes },
        cells: [String(r.heads), String(r.answer.spec.headDim),
          { text: COUNT.format(r.answer.cost.flops), className: 'num', value: r.answer.cost.flops },
          { text: bytesText(r.answer.cost.peakBytes), className: 'num',
            value: r.answer.cost.peakBytes },
          { text: `${r.answer.cost.elapsedMillis.toFixed(2)} ms`, className: 'num',
            value: r.answer.cost.elapsedMillis }],
      })),
      testid: 'cost-table', rowTestid: 'cost-row',
    }));
  }
}

export { CostSweepExperiment };
