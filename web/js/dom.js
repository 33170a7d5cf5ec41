// Small helpers the advanced chapter's widgets share: elements, tables, number formats.

import { FIXED } from './format.js';

export { COUNT, FIXED } from './format.js';

/** An element with a class and text. */
export function el(tag, className, text) {
  const e = document.createElement(tag);
  if (className) e.className = className;
  if (text != null) e.textContent = text;
  return e;
}

/** A table with a caption, a header row and body rows of text cells. */
export function table(caption, headers, rows, testid) {
  const t = el('table', 'data-table');
  if (testid) t.dataset.testid = testid;
  t.append(el('caption', null, caption));
  const head = t.createTHead().insertRow();
  for (const h of headers) {
    const th = el('th', null, h);
    th.scope = 'col';
    head.append(th);
  }
  const body = t.createTBody();
  for (const r of rows) {
    const tr = body.insertRow();
    for (const cell of r) tr.insertCell().textContent = cell;
  }
  return t;
}

export function mib(bytes) {
  return `${(bytes / 1048576).toFixed(2)} MiB`;
}

/** A value that may be −∞ (sent as null). */
export function value(v) {
  return v == null ? '−∞' : FIXED.format(v);
}
