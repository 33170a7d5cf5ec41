// The experiments of the chapter "Beyond classic MHA" (see VariantExperiments.java): what each
// kind sends to its /api/v1/variants endpoint and how its answer is drawn with the widget
// modules. Every number shown comes from the server's answer. main.js imports this module, which
// registers its kinds with the experiment controller.

import { Experiment, registerKind } from './experiment.js';
import { renderHeadMapping } from './head-mapping.js';
import { renderHeatmaps } from './heatmap.js';
import { renderLineChart } from './line-chart.js';
import { renderNumberTable } from './number-table.js';
import { renderSparseMask } from './sparse-mask.js';
import { showState } from './status.js';
import { FIXED } from './format.js';

const BYTES = ['B', 'KiB', 'MiB', 'GiB', 'TiB', 'PiB', 'EiB'];

/** "1, 2, 4" -> [1, 2, 4]; a part that is no whole number goes as null, for the server to name. */
function integers(text) {
  return String(text).split(',').map((s) => s.trim()).filter((s) => s !== '')
    .map((s) => (/^-?\d+$/.test(s) ? Number(s) : null));
}

function bytes(n) {
  let v = n;
  let u = 0;
  while (v >= 1024 && u < BYTES.length - 1) {
    v /= 1024;
    u += 1;
  }
  return `${u === 0 ? v : v.toFixed(1)} ${BYTES[u]}`;
}

function ms(v) {
  return `${FIXED.format(v)} ms`;
}

function percent(v) {
  return `${(100 * v).toPrecision(3)} %`;
}

const VARIANT_REQUESTS = {
  'variant-grouped-query': (p) => ({ ...p }),
  'variant-kv-cache': (p) => ({ ...p, bytesPerNumber: Number(p.bytesPerNumber) }),
  'variant-sparse': (p) => {
    const r = { text: p.text, window: p.window, causal: p.causal, seed: p.seed };
    if (p.dilatedWindow > 0) {
      Object.assign(r, { dilatedWindow: p.dilatedWindow, dilation: p.dilation });
    }
    const global = integers(p.globalTokens);
    if (global.length > 0) r.globalTokens = global;
    if (p.randomBlocks > 0) {
      Object.assign(r, { randomBlocks: p.randomBlocks, blockSize: p.blockSize });
    }
    return r;
  },
  'variant-sparse-sweep': (p) => ({ ...p, windows: integers(p.windows) }),
  'variant-linear': (p) => {
    const r = { ...p };
    if (p.featureMap === 'elu') delete r.features;
    return r;
  },
  'variant-feature-sweep': (p) => ({ ...p, features: integers(p.features) }),
  'variant-length-sweep': (p) => {
    const r = { ...p, lengths: integers(p.lengths) };
    if (p.featureMap === 'elu') delete r.features;
    return r;
  },
};

/** Area of the experiment where the variant widgets draw, made on first use. */
function area(output) {
  let div = output.querySelector('.variant-output');
  if (!div) {
    div = document.createElement('div');
    div.className = 'variant-output';
    div.dataset.testid = 'variant-output';
    output.prepend(div);
  }
  div.replaceChildren();
  const parts = {};
  for (const name of ['figure', 'numbers']) {
    parts[name] = document.createElement('div');
    parts[name].className = `variant-${name}`;
    div.append(parts[name]);
  }
  return parts;
}

const RENDERERS = {
  'variant-grouped-query': async (parts, a, heatmaps) => {
    renderHeadMapping(parts.figure, a);
    renderNumberTable(parts.numbers, 'Grouped-query layer against the multi-head one', [
      ['Q shape', `[${a.shapes.q.join(', ')}]`],
      ['K, V shape (grouped)', `[${a.shapes.k.join(', ')}]`],
      ['K, V shape (multi-head)', `[${a.multiHeadShapes.k.join(', ')}]`],
      ['W^K, W^V parameters (grouped / multi-head)',
        `${a.kvParameters[0]} / ${a.kvParameters[1]}`],
      ['Output difference from multi-head', percent(a.relativeDifference)],
    ]);
    if (a.attention) await drawHeads(heatmaps, a.attention, a.tokens);
    return `${a.heads} query heads share ${a.kvHeads} key/value heads.`;
  },
  'variant-kv-cache': (parts, a, heatmaps) => {
    heatmaps.replaceChildren();
    renderNumberTable(parts.numbers, a.formula, [
      ['Multi-head (kvHeads = h)', `${bytes(a.multiHeadBytes)} (${a.multiHeadBytes} bytes)`],
      [`Grouped-query (kvHeads = ${a.kvHeads})`,
        `${bytes(a.groupedBytes)} (${a.groupedBytes} bytes)`],
      ['Multi-query (kvHeads = 1)', `${bytes(a.multiQueryBytes)} (${a.multiQueryBytes} bytes)`],
      ['Per generated token', bytes(a.bytesPerToken)],
      ['Saving of grouped-query', `${FIXED.format(a.savingFactor)} ×`],
    ]);
    return `A ${bytes(a.groupedBytes)} cache instead of ${bytes(a.multiHeadBytes)}.`;
  },
  'variant-sparse': async (parts, a, heatmaps) => {
    renderSparseMask(parts.figure, a);
    renderNumberTable(parts.numbers, 'Pairs scored and the cost of skipping the rest', [
      ...a.patterns.map((p) => [`Allowed by ${p.pattern} alone`, String(p.allowedPairs)]),
      ['Allowed pairs (union)',
        `${a.allowedPairs} of ${a.densePairs} (${percent(a.allowedFraction)})`],
      ['Pairs the sparse path scored per head', String(a.scoredPairs)],
      ['Difference from dense with the same mask', a.differenceFromMaskedDense.toExponential(2)],
      ['Output difference from full dense attention', percent(a.relativeDifferenceFromDense)],
      ['Time: sparse / masked dense / dense',
        `${ms(a.sparseMs)} / ${ms(a.maskedDenseMs)} / ${ms(a.denseMs)}`],
    ]);
    if (a.attention) await drawHeads(heatmaps, a.attention, a.tokens);
    return `${a.allowedPairs} of ${a.densePairs} pairs scored.`;
  },
  'variant-sparse-sweep': (parts, a, heatmaps) => {
    heatmaps.replaceChildren();
    const x = a.points.map((p) => p.window);
    renderLineChart(parts.figure, {
      title: `Sliding window against dense attention, L = ${a.queryLength}`,
      x, xLabel: 'window w', yLabel: 'relative output difference',
      series: [{
        name: 'relative difference',
        values: a.points.map((p) => p.relativeDifferenceFromDense),
      }],
      format: (v) => v.toPrecision(3),
    });
    renderNumberTable(parts.numbers, `Measured times (dense: ${ms(a.denseMs)})`,
      a.points.map((p) => [`w = ${p.window}: ${p.scoredPairs} pairs scored`,
        `sparse ${ms(p.sparseMs)}, masked dense ${ms(p.maskedDenseMs)}`]));
    return `${a.points.length} windows measured.`;
  },
  'variant-linear': async (parts, a, heatmaps) => {
    renderNumberTable(parts.numbers, 'Linear attention against softmax attention', [
      ['Feature map', a.featureMap === 'elu' ? 'elu(x) + 1' : `FAVOR+, m = ${a.features}`],
      ['Output difference from softmax', percent(a.relativeError)],
      ['Time: linear / softmax', `${ms(a.linearMs)} / ${ms(a.softmaxMs)}`],
    ]);
    heatmaps.replaceChildren();
    if (a.attention && a.softmaxAttention) {
      const implied = document.createElement('div');
      const exact = document.createElement('div');
      parts.figure.append(caption('Implied weights of linear attention'), implied,
        caption('Softmax weights'), exact);
      await drawHeads(implied, a.attention, a.tokens);
      await drawHeads(exact, a.softmaxAttention, a.tokens);
    }
    return `Linear attention differs from softmax by ${percent(a.relativeError)}.`;
  },
  'variant-feature-sweep': (parts, a, heatmaps) => {
    heatmaps.replaceChildren();
    const x = a.points.map((p) => p.features);
    renderLineChart(parts.figure, {
      title: `FAVOR+ against softmax attention (mean of ${a.draws} draws; elu + 1: `
        + `${a.eluRelativeError.toPrecision(3)})`,
      x, xLabel: 'features m', yLabel: 'relative output error', logX: true, logY: true,
      series: [
        { name: 'mean', values: a.points.map((p) => p.meanRelativeError) },
        { name: 'smallest', values: a.points.map((p) => p.minRelativeError) },
        { name: 'largest', values: a.points.map((p) => p.maxRelativeError) },
      ],
    });
    return `${a.points.length} feature counts measured.`;
  },
  'variant-length-sweep': (parts, a, heatmaps) => {
    heatmaps.replaceChildren();
    renderLineChart(parts.figure, {
      title: `Time of one layer on this server (median of ${a.repeats})`,
      x: a.points.map((p) => p.length), xLabel: 'sequence length L', yLabel: 'milliseconds',
      logX: true, logY: true,
      series: [
        { name: 'softmax', values: a.points.map((p) => p.softmaxMs) },
        {
          name: a.featureMap === 'elu' ? 'linear (elu + 1)'
            : `linear (FAVOR+, m = ${a.features})`,
          values: a.points.map((p) => p.linearMs),
        },
      ],
      format: (v) => v.toFixed(2),
      marker: a.crossover
        ? { x: a.crossover, label: `linear faster from L = ${a.crossover}` } : null,
    });
    return a.crossover ? `Linear attention was faster from L = ${a.crossover}.`
      : 'Linear attention was not faster at any length swept.';
  },
};

function drawHeads(container, weights, tokens) {
  return renderHeatmaps(container, { weights, tokens, keyTokens: tokens, masked: null });
}

function caption(text) {
  const p = document.createElement('p');
  p.className = 'figure-caption';
  p.textContent = text;
  return p;
}

/**
 * An experiment of one of the kinds above: its own request and its own drawing, done once every
 * head is drawn (unless a newer run started meanwhile).
 */
class VariantExperiment extends Experiment {
  request(params) {
    return VARIANT_REQUESTS[this.kind](params);
  }

  async show(answer, request) {
    const run = this.running;
    const output = this.root.querySelector('.experiment-output');
    output.querySelector('.trace')?.replaceChildren();
    const summary = await RENDERERS[this.kind](area(output), answer,
      output.querySelector('.heatmaps'));
    if (this.running !== run) return;
    this.root.dataset.request = JSON.stringify(request);
    showState(this.root, 'done', summary);
  }
}

for (const kind of Object.keys(VARIANT_REQUESTS)) {
  registerKind(kind, VariantExperiment);
}
