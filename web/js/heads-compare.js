// "One width, different numbers of heads" side by side: the reader fixes a sentence and d_model,
// the page asks the server once per head count and shows, in one row per h, the head width
// d_k, the FLOPs, the number of attention weights, the peak memory and every head's heatmap.
// Written in a chapter as <div data-heads-compare data-experiment-id="…" data-defaults="{…}">.

import { postJson, ApiError } from './api.js';
import { renderHeatmaps } from './heatmap.js';
import { initialParams, writeState } from './share.js';
import { nextTask } from './tasks.js';
import { COUNT } from './format.js';


function field(id, name, label, value, type) {
  const div = document.createElement('div');
  div.className = `field${type === 'text' ? ' field-text' : ''}`;
  const l = document.createElement('label');
  l.htmlFor = `${id}-${name}`;
  l.textContent = label;
  const input = document.createElement('input');
  input.id = `${id}-${name}`;
  input.name = name;
  input.type = type;
  input.value = String(value);
  input.autocomplete = 'off';
  if (type === 'number') {
    input.min = '1';
    input.max = '256';
    input.step = '1';
  }
  div.append(l, input);
  return div;
}

function column(h) {
  const section = document.createElement('section');
  section.className = 'heads-row';
  section.dataset.testid = 'heads-row';
  section.dataset.heads = String(h);
  const title = document.createElement('h4');
  title.textContent = `h = ${h}`;
  const facts = document.createElement('dl');
  facts.className = 'heads-facts';
  const maps = document.createElement('div');
  maps.className = 'heatmaps';
  section.append(title, facts, maps);
  return section;
}

function facts(list, items) {
  list.replaceChildren();
  for (const [term, value, key] of items) {
    const div = document.createElement('div');
    const dt = document.createElement('dt');
    dt.textContent = term;
    const dd = document.createElement('dd');
    dd.textContent = value;
    dd.dataset.fact = key;
    div.append(dt, dd);
    list.append(div);
  }
}

class HeadsCompare {
  constructor(root) {
    this.root = root;
    this.id = root.dataset.experimentId;
    this.defaults = JSON.parse(root.dataset.defaults);
    this.headCounts = String(root.dataset.heads ?? '1,2,4,8').split(',').map(Number);
    const form = document.createElement('form');
    form.className = 'experiment-form';
    form.noValidate = true;
    form.append(field(this.id, 'text', 'Sentence', this.defaults.text, 'text'),
      field(this.id, 'modelDim', 'd_model (the same in every row)', this.defaults.modelDim,
        'number'));
    const actions = document.createElement('div');
    actions.className = 'actions';
    const run = document.createElement('button');
    run.type = 'submit';
    run.className = 'run';
    run.dataset.testid = 'run';
    run.textContent = 'Run';
    actions.append(run);
    form.append(actions);
    this.status = document.createElement('p');
    this.status.className = 'status';
    this.status.setAttribute('role', 'status');
    this.status.dataset.testid = 'status';
    this.status.dataset.state = 'idle';
    const text = document.createElement('span');
    text.className = 'status-text';
    this.status.append(text);
    this.grid = document.createElement('div');
    this.grid.className = 'heads-compare-grid';
    this.columns = this.headCounts.map((h) => column(h));
    this.grid.append(...this.columns);
    root.append(form, this.status, this.grid);
    this.form = form;
    form.addEventListener('submit', (event) => {
      event.preventDefault();
      this.run(this.read());
    });
  }

  read() {
    return {
      text: this.form.elements.text.value,
      modelDim: Number(this.form.elements.modelDim.value),
    };
  }

  say(state, message) {
    this.status.dataset.state = state;
    this.root.dataset.state = state;
    this.status.querySelector('.status-text').textContent = message;
  }

  async run(params) {
    this.say('running', 'Computing one run per head count on the server…');
    const fitting = this.headCounts.filter((h) => params.modelDim % h === 0);
    try {
      const answers = [];
      for (const h of this.headCounts) {
        if (params.modelDim % h !== 0) {
          answers.push(null);
          continue;
        }
        answers.push(await postJson('/api/v1/attention',
          { text: params.text, modelDim: params.modelDim, heads: h, seed: this.defaults.seed }));
      }
      // A head per task (heatmap.js): the four columns together are fifteen heatmaps.
      for (const [index, answer] of answers.entries()) {
        await this.show(this.columns[index], this.headCounts[index], answer, params.modelDim);
        await nextTask();
      }
      // The seed is fixed here, not a control: the link records only what the reader changed.
      writeState(this.root, { seed: this.defaults.seed, ...params });
      const skipped = this.headCounts.length - fitting.length;
      this.say('done', `d_model = ${params.modelDim} split into ${fitting.join(', ')} heads`
        + (skipped > 0 ? `; ${skipped} head counts skipped because they do not divide d_model.`
          : '.'));
    } catch (e) {
      if (!(e instanceof ApiError)) throw e;
      this.say(e.kind === 'bad-input' ? 'bad-input' : 'error', e.message);
    }
  }

  show(section, h, answer, modelDim) {
    const list = section.querySelector('dl');
    const maps = section.querySelector('.heatmaps');
    if (!answer) {
      facts(list, [['d_k', `${modelDim} / ${h} is not whole`, 'headDim']]);
      maps.replaceChildren();
      return;
    }
    const spec = answer.spec;
    const L = answer.tokens.length;
    facts(list, [
      ['d_k', String(spec.headDim), 'headDim'],
      ['FLOPs', COUNT.format(answer.cost.flops), 'flops'],
      ['attention weights h·L²', COUNT.format(h * L * L), 'weights'],
      ['peak memory', `${COUNT.format(answer.cost.peakBytes)} B`, 'peakBytes'],
    ]);
    return renderHeatmaps(maps, { weights: answer.attention[0], tokens: answer.tokens,
      keyTokens: answer.tokens, masked: null });
  }
}

/** Starts every heads comparison on the page, with a shared link's values or the defaults. */
export function startHeadsComparisons(doc) {
  for (const root of doc.querySelectorAll('[data-heads-compare]')) {
    const compare = new HeadsCompare(root);
    const shared = initialParams(root, compare.defaults) ?? {};
    const params = { ...compare.defaults, ...shared };
    compare.form.elements.text.value = params.text;
    compare.form.elements.modelDim.value = String(params.modelDim);
    compare.run({ text: params.text, modelDim: Number(params.modelDim) });
  }
}
