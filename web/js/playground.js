// The playground: every engine option in one form. Its controls are named like the API's JSON
// fields; empty controls are left out of the request so the server's defaults apply. It reuses
// the chapter experiment's controller for running and showing, and adds the cost summary, the
// explicit tensors and saving or loading the whole experiment as a JSON file.

import { Experiment } from './experiment.js';
import { download } from './export.js';
import { initialParams, TENSOR_FIELDS } from './share.js';
import { COUNT } from './format.js';

const WHOLE = new Set(['batch', 'queryLength', 'keyLength', 'modelDim', 'heads', 'kvHeads',
  'headDim', 'seed', 'blockSize']);
const WHOLE_NUMBER = /^-?\d+$/;
const NUMERIC = /^[-+]?(\d+\.?\d*|\.\d+)(e[-+]?\d+)?$/i;

function bytes(n) {
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} KiB`;
  return `${(n / 1024 / 1024).toFixed(1)} MiB`;
}

/** Splits a request into the form's fields and its explicit tensors. */
function formValues(request) {
  const values = {};
  const tensors = {};
  for (const [name, value] of Object.entries(request)) {
    if (TENSOR_FIELDS.includes(name)) tensors[name] = value;
    else values[name] = value;
  }
  if (request.tensors) Object.assign(tensors, request.tensors);
  delete values.tensors;
  values.tensors = Object.keys(tensors).length > 0 ? tensors : '';
  return values;
}

export class Playground extends Experiment {
  constructor(root) {
    super(root);
    this.kind = 'attention';
    this.form.addEventListener('reset', (event) => {
      event.preventDefault();
      this.clear();
      this.fill(this.defaults);
    });
    root.querySelector('[data-action="save-json"]').addEventListener('click', () => {
      const { params, errors } = this.read();
      if (errors.length > 0) {
        this.runForm();
        return;
      }
      download(new Blob([JSON.stringify(params, null, 1)], { type: 'application/json' }),
        'mha-playground.json');
    });
    const file = root.querySelector('[data-testid="load-json"]');
    root.querySelector('[data-action="load-json"]').addEventListener('click', () => file.click());
    file.addEventListener('change', async () => {
      const chosen = file.files?.[0];
      file.value = '';
      if (!chosen) return;
      try {
        const request = JSON.parse(await chosen.text());
        if (typeof request !== 'object' || request === null || Array.isArray(request)) {
          throw new Error('the file must hold one JSON object, a request body');
        }
        this.clear();
        this.fill(request);
        this.runForm();
      } catch (e) {
        const general = root.querySelector('.form-error');
        general.textContent = `Cannot load ${chosen.name}: ${e.message}`;
        general.hidden = false;
      }
    });
    root.addEventListener('experiment:result', (event) => this.showCost(event.detail.answer));
  }

  clear() {
    for (const element of this.form.elements) {
      if (!element.name) continue;
      if (element.tagName === 'SELECT') element.selectedIndex = 0;
      else element.value = '';
    }
  }

  fill(params) {
    const values = formValues(params);
    for (const element of this.form.elements) {
      if (!element.name || !Object.hasOwn(values, element.name)) continue;
      const value = values[element.name];
      element.value = element.name === 'tensors' && value !== ''
        ? JSON.stringify(value) : String(value);
    }
  }

  read() {
    const params = {};
    const errors = [];
    for (const element of this.form.elements) {
      if (!element.name) continue;
      const name = element.name;
      const text = element.value.trim();
      if (text === '') continue;
      if (WHOLE.has(name)) {
        if (WHOLE_NUMBER.test(text)) params[name] = Number(text);
        else errors.push({ field: name, message: 'Enter a whole number, or leave it empty.' });
      } else if (name === 'dropout') {
        if (NUMERIC.test(text)) params.dropout = Number(text);
        else errors.push({ field: name, message: 'Enter a number from 0 to below 1.' });
      } else if (name === 'training') {
        params.training = text === 'true';
      } else if (name === 'scale') {
        params.scale = NUMERIC.test(text) ? Number(text) : text;
      } else if (name === 'tensors') {
        this.readTensors(text, params, errors);
      } else {
        params[name] = text;
      }
    }
    return { params, errors };
  }

  readTensors(text, params, errors) {
    let tensors;
    try {
      tensors = JSON.parse(text);
    } catch (e) {
      errors.push({ field: 'tensors', message: `Not valid JSON: ${e.message}` });
      return;
    }
    if (typeof tensors !== 'object' || tensors === null || Array.isArray(tensors)) {
      errors.push({ field: 'tensors', message: 'Give a JSON object, e.g. {"query": [[[1, 0]]]}.' });
      return;
    }
    const unknown = Object.keys(tensors).filter((k) => !TENSOR_FIELDS.includes(k));
    if (unknown.length > 0) {
      errors.push({ field: 'tensors', message: `Unknown field ${unknown.join(', ')}; allowed: `
        + `${TENSOR_FIELDS.join(', ')}.` });
      return;
    }
    Object.assign(params, tensors);
  }

  /** Random or explicit inputs have no words: label positions x1 … xL (and k1 … kS). */
  show(answer, request) {
    const spec = answer.spec ?? {};
    const positions = (n, prefix) => Array.from({ length: n }, (_, i) => `${prefix}${i + 1}`);
    const tokens = answer.tokens ?? positions(spec.queryLength, 'x');
    const ownKeys = request.key !== undefined || spec.keyLength !== spec.queryLength;
    const keyTokens = answer.keyTokens
      ?? (answer.tokens || !ownKeys ? tokens : positions(spec.keyLength, 'k'));
    return super.show({ ...answer, tokens, keyTokens }, request);
  }

  fail(error) {
    const field = String(error.field ?? '');
    if (TENSOR_FIELDS.includes(field.split('.')[0])) {
      error.message = `${field}: ${error.message}`;
      error.field = 'tensors';
    }
    super.fail(error);
  }

  showCost(answer) {
    const box = this.root.querySelector('.cost');
    const spec = answer.spec ?? {};
    const cost = answer.cost ?? {};
    const items = [
      ['Implementation', spec.implementation],
      ['Sizes', `B=${spec.batch}, L=${spec.queryLength}, S=${spec.keyLength},`
        + ` d_model=${spec.modelDim}`],
      ['Heads', `h=${spec.heads}, g=${spec.kvHeads}, d_k=${spec.headDim}`],
      ['Scale s', Number(spec.scale).toPrecision(4)],
      ['FLOPs', COUNT.format(cost.flops ?? 0)],
      ['Element ops', COUNT.format(cost.elementOps ?? 0)],
      ['Peak memory', bytes(cost.peakBytes ?? 0)],
      ['Time on the server', `${Number(cost.elapsedMillis ?? 0).toFixed(2)} ms`],
    ];
    const list = document.createElement('dl');
    for (const [term, value] of items) {
      const div = document.createElement('div');
      const dt = document.createElement('dt');
      dt.textContent = term;
      const dd = document.createElement('dd');
      dd.textContent = value;
      div.append(dt, dd);
      list.append(div);
    }
    box.replaceChildren(list);
  }
}

/** Starts the playground if the page has one, with a shared link's values or the defaults. */
export function startPlayground(doc) {
  const root = doc.querySelector('[data-playground]');
  if (!root) return null;
  const playground = new Playground(root);
  root.experiment = playground;
  playground.fill(playground.defaults);
  const shared = initialParams(root, playground.defaults);
  if (shared) playground.fill(shared);
  playground.runForm();
  return playground;
}
