// Experiment kind "similarity" (chapter "Attention in a trained model"): the cosine between two
// sentences' embeddings with the whole model and with some heads pruned. For "the k least/most
// important" the page first asks for the first sentence's head importance, then for the
// similarity with those heads pruned.

import {
  MODEL_IMPORTANCE, MODEL_SIMILARITY, ModelExperiment, el,
} from './model-call.js';
import { showFieldError, showState } from './status.js';
import { decimals } from './format.js';

const FOUR = decimals(4);

export class SimilarityExperiment extends ModelExperiment {
  async load(params) {
    const k = params.k;
    if (!Number.isInteger(k) || k < 1 || k > 72) {
      showFieldError(this.root, 'k', 'Enter a whole number from 1 to 72.');
      showState(this.root, 'bad-input', 'Fix the marked input, then press Run.');
      return;
    }
    let prune;
    let described;
    if (params.pruneSet.startsWith('layer-')) {
      const layer = Number(params.pruneSet.slice('layer-'.length)) - 1;
      prune = Array.from({ length: 12 }, (_, h) => [layer, h]);
      described = `all 12 heads of layer ${layer + 1}`;
    } else {
      const answer = await this.call(MODEL_IMPORTANCE, { text: params.text },
        'Ranking the heads of the first sentence');
      const all = [];
      answer.importance.forEach((row, l) => row.forEach((v, h) => all.push({ l, h, v })));
      all.sort((a, b) => a.v - b.v);
      const picked = params.pruneSet === 'least' ? all.slice(0, k) : all.slice(-k);
      prune = picked.map(({ l, h }) => [l, h]);
      described = `the ${k} ${params.pruneSet} important heads for the first sentence`;
    }
    const request = { text: params.text, otherText: params.otherText, prune };
    const answer = await this.call(MODEL_SIMILARITY, request, 'Embedding both sentences');
    this.root.dataset.request = JSON.stringify(request);
    this.draw(answer, described);
    this.done(`Embedded both sentences twice in ${Number(answer.elapsedMillis).toFixed(1)} ms.`);
  }

  draw(answer, described) {
    const slot = this.canvas();
    const box = el('div', 'similarity');
    box.dataset.testid = 'similarity';
    const row = (label, value, testid) => {
      const p = el('p', 'similarity-row');
      p.dataset.testid = testid;
      p.dataset.value = String(value);
      const bar = el('span', 'similarity-bar');
      bar.style.setProperty('--fill', `${Math.max(0, value) * 100}%`);
      bar.setAttribute('aria-hidden', 'true');
      p.append(el('span', 'similarity-label', label), bar,
        el('strong', 'similarity-value', FOUR.format(value)));
      return p;
    };
    box.append(row('Whole model', answer.cosineBefore, 'cosine-before'),
      row(`Pruned: ${described}`, answer.cosineAfter, 'cosine-after'));
    const change = answer.cosineAfter - answer.cosineBefore;
    box.append(el('p', 'similarity-note', `Pruning changes the similarity by `
      + `${change >= 0 ? '+' : '−'}${FOUR.format(Math.abs(change))} (difference computed on this `
      + 'page).'));
    slot.append(box);
  }
}
