// Experiment kind "implementations" (chapter "Implementation"): the same request computed by the
// server's three implementations (loops, vectorized, tiled). Beside each, what the server
// reported (FLOPs, peak bytes, measured time) and the largest difference of its output and
// weights from the loops reference, computed here from the numbers the server sent.

import { first } from './matrix-view.js';
import { MultiRunExperiment, dataTable, el } from './multi-run.js';
import { COUNT } from './format.js';

const IMPLEMENTATIONS = ['loops', 'vectorized', 'tiled'];

/** The largest |a − b| over two nested arrays of the same shape. */
export function maxDifference(a, b) {
  if (Array.isArray(a)) {
    let m = 0;
    for (let i = 0; i < a.length; i++) m = Math.max(m, maxDifference(a[i], b[i]));
    return m;
  }
  return Math.abs(a - b);
}

export function bytesText(n) {
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} KiB`;
  return `${(n / 1024 / 1024).toFixed(1)} MiB`;
}

function diffText(label, diff) {
  if (label === IMPLEMENTATIONS[0]) return 'reference';
  return diff === null ? 'not sent' : diff.toExponential(2);
}

class ImplementationsExperiment extends MultiRunExperiment {
  requests(params) {
    return IMPLEMENTATIONS.map((implementation) => ({
      label: implementation,
      body: {
        queryLength: params.queryLength,
        modelDim: params.modelDim,
        heads: params.heads,
        seed: params.seed,
        implementation,
        ...(implementation === 'tiled' ? { blockSize: params.blockSize } : {}),
      },
    }));
  }

  draw(runs) {
    const slot = this.canvas();
    const reference = runs[0].answer;
    const rows = runs.map(({ label, answer }) => {
      const out = answer.output ? maxDifference(answer.output, reference.output) : null;
      const att = answer.attention && reference.attention
        ? maxDifference(first(answer.attention), first(reference.attention)) : null;
      const c = answer.cost;
      return {
        data: { implementation: label, flops: c.flops, peakBytes: c.peakBytes,
          elapsedMillis: c.elapsedMillis, outputDiff: out ?? 'n/a', attentionDiff: att ?? 'n/a' },
        cells: [
          label,
          { text: `${c.elapsedMillis.toFixed(2)} ms`, className: 'num', value: c.elapsedMillis },
          { text: COUNT.format(c.flops), className: 'num', value: c.flops },
          { text: bytesText(c.peakBytes), className: 'num', value: c.peakBytes },
          { text: diffText(label, out), className: 'num', value: out },
          { text: diffText(label, att), className: 'num', value: att },
        ],
      };
    });
    slot.append(dataTable({
      caption: 'One request, three implementations',
      columns: ['Implementation', 'Time', 'FLOPs', 'Peak memory', 'Max |Δ| output',
        'Max |Δ| weights'],
      rows, testid: 'implementations-table', rowTestid: 'implementation-row',
    }));
    const note = el('p', 'widget-note', 'Time, FLOPs and peak memory as the server reported'
      + ' them; times are measured for this one run and vary from run to run. Max |Δ| is the'
      + ' largest difference from the loops reference (double precision), computed in your'
      + ' browser from the numbers the server sent.');
    slot.append(note);
  }
}

export { ImplementationsExperiment };
