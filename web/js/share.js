// Shareable state: every experiment's parameters live in the address bar, so a link reproduces
// the experiment. A parameter is written `<experiment id>.<field>=<value>` in the query string,
// and only where it differs from the experiment's default (an empty value means "cleared").
// Explicit tensors (query, key, value, weights, masks) travel in the fragment, compressed with
// lz-string: `#<id>.tensors=<compressed JSON>`, up to MAX_FRAGMENT_CHARS characters. Beyond
// that the link carries the other parameters only, and the page says to save the experiment as
// a JSON file instead.

import { COUNT } from './format.js';

const LZ = globalThis.LZString;

/** The longest compressed fragment a link carries (see the playground's help text). */
export const MAX_FRAGMENT_CHARS = 8000;

export const TENSOR_FIELDS = ['query', 'key', 'value', 'weights', 'keyPadding', 'blocked'];
const NUMBER_FIELDS = new Set(['batch', 'queryLength', 'keyLength', 'modelDim', 'heads',
  'kvHeads', 'headDim', 'seed', 'blockSize', 'dropout']);
const NUMERIC = /^[-+]?(\d+\.?\d*|\.\d+)(e[-+]?\d+)?$/i;

function experimentId(root) {
  return root.dataset.experimentId;
}

function typed(name, text, defaults) {
  if (text === '') return '';
  if (typeof defaults[name] === 'number' || NUMBER_FIELDS.has(name)) {
    return NUMERIC.test(text) ? Number(text) : text;
  }
  if (typeof defaults[name] === 'boolean' || name === 'training') return text === 'true';
  if (name === 'scale') return NUMERIC.test(text) ? Number(text) : text;
  return text;
}

function fragmentEntries() {
  const hash = globalThis.location.hash.replace(/^#/, '');
  return hash.split('&').filter((part) => part.includes('='));
}

/**
 * The parameters a shared link gives experiment `root`, typed like `defaults`, or null. Explicit
 * tensors come back as one object under `tensors`.
 */
export function initialParams(root, defaults) {
  const id = experimentId(root);
  if (!id) return null;
  const prefix = `${id}.`;
  const params = {};
  let found = false;
  for (const [key, text] of new URLSearchParams(globalThis.location.search)) {
    if (!key.startsWith(prefix)) continue;
    params[key.slice(prefix.length)] = typed(key.slice(prefix.length), text, defaults);
    found = true;
  }
  for (const entry of fragmentEntries()) {
    const at = entry.indexOf('=');
    if (entry.slice(0, at) !== `${prefix}tensors` || !LZ) continue;
    const json = LZ.decompressFromEncodedURIComponent(entry.slice(at + 1));
    try {
      params.tensors = JSON.parse(json);
      found = true;
    } catch {
      // A damaged link: run without its tensors rather than not at all.
    }
  }
  return found ? params : null;
}

/** `request`'s parameters that differ from `defaults`, as query-string entries. */
function changedEntries(request, defaults) {
  const entries = [];
  for (const [name, value] of Object.entries(request)) {
    if (TENSOR_FIELDS.includes(name) || value === undefined || value === null) continue;
    if (String(value) !== String(defaults[name])) entries.push([name, String(value)]);
  }
  for (const name of Object.keys(defaults)) {
    if (!Object.hasOwn(request, name)) entries.push([name, '']);
  }
  return entries;
}

function note(root, text) {
  let p = root.querySelector('.share-note');
  if (!p) {
    p = document.createElement('p');
    p.className = 'export-note share-note';
    p.dataset.testid = 'share-note';
    root.append(p);
  }
  p.textContent = text;
  p.hidden = !text;
}

/** Rewrites the address bar after experiment `root` showed the result of `request` (its parameters). */
export function writeState(root, request) {
  const id = experimentId(root);
  if (!id) return;
  const defaults = JSON.parse(root.dataset.defaults);
  const prefix = `${id}.`;
  const url = new URL(globalThis.location.href);
  for (const key of [...url.searchParams.keys()]) {
    if (key.startsWith(prefix)) url.searchParams.delete(key);
  }
  const entries = changedEntries(request, defaults);
  for (const [name, value] of entries) url.searchParams.set(prefix + name, value);

  const tensors = {};
  for (const name of TENSOR_FIELDS) {
    if (request[name] !== undefined) tensors[name] = request[name];
  }
  const current = globalThis.location.hash.replace(/^#/, '');
  const others = fragmentEntries().filter((e) => !e.startsWith(`${prefix}tensors=`));
  root.dataset.linkState = 'complete';
  note(root, '');
  if (Object.keys(tensors).length > 0 || current.includes(`${prefix}tensors=`)) {
    const fragment = [...others];
    const packed = LZ ? LZ.compressToEncodedURIComponent(JSON.stringify(tensors)) : '';
    if (Object.keys(tensors).length === 0) {
      // The tensors were cleared: drop them from the link.
    } else if (packed && packed.length <= MAX_FRAGMENT_CHARS) {
      fragment.push(`${prefix}tensors=${packed}`);
    } else {
      root.dataset.linkState = 'too-large';
      note(root, `The explicit tensors are too large for a link (${COUNT.format(packed.length)}`
        + ` characters compressed, the limit is ${COUNT.format(MAX_FRAGMENT_CHARS)}):`
        + ' the link keeps the other settings; save the experiment as JSON to share it whole.');
    }
    url.hash = fragment.join('&');
  } else if (entries.length > 0 && current === '' && root.id) {
    // Point the link at the experiment it changes.
    url.hash = root.id;
  }
  if (url.href !== globalThis.location.href) {
    globalThis.history.replaceState(null, '', url.href);
  }
}

/** Keeps the address bar in step with every experiment's latest result. */
export function trackSharedState(doc) {
  doc.addEventListener('experiment:result', (event) => {
    writeState(event.target, event.detail.params ?? event.detail.request);
  });
}
