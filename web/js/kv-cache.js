// KV-cache decoding step by step (POST /api/v1/advanced/kv-cache): the cache growing, each
// step's FLOPs against recomputing the prefix, and the full causal attention the steps match.

import { renderHeatmaps } from './heatmap.js';
import { COUNT, el, table } from './dom.js';

/** Resolves once the heatmap and the table are drawn. */
export async function renderKvCache(figure, tables, answer) {
  const tokens = answer.tokens ?? answer.steps.map((s) => `${s.position}`);
  await renderHeatmaps(figure, {
    weights: answer.fullAttention[0], tokens, keyTokens: tokens, masked: null,
  });
  const rows = answer.steps.map((s) => [tokens[s.position], String(s.cacheLength),
    COUNT.format(s.cacheBytes), COUNT.format(s.flopsWithCache), COUNT.format(s.flopsWithoutCache),
    s.maxDifference.toExponential(1)]);
  const summary = el('p', 'kv-summary', `With the cache: ${COUNT.format(answer.flopsWithCache)} `
    + `FLOPs; recomputing every prefix: ${COUNT.format(answer.flopsWithoutCache)}; saved `
    + `${(100 * answer.flopsSavedFraction).toFixed(1)}%. Largest difference from full causal `
    + `attention: ${answer.maxDifference.toExponential(1)}.`);
  summary.dataset.testid = 'kv-summary';
  tables.replaceChildren(summary, table('One row per decoding step', ['token', 'cache length',
    'cache bytes', 'FLOPs with cache', 'FLOPs from scratch', 'difference'], rows, 'kv-steps'));
}
