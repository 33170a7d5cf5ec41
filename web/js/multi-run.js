// Base class of experiments that need several answers from the server for one figure (side by
// side masks, three implementations, sweeps over d_k or h). Requests go one after another, so a
// page never floods the server's queue; the status line counts them; a newer run cancels an
// older one; the first failure ends the run and is shown like any other experiment's.

import { ApiError, postJson } from './api.js';
import { Experiment } from './experiment.js';
import { RevealGate } from './reveal.js';
import { clearErrors, showState } from './status.js';

export class MultiRunExperiment extends Experiment {
  constructor(root) {
    super(root);
    this.gate = new RevealGate(root, this.defaults.reveal);
  }

  /** The requests of one run, each {label, body}. */
  requests(params) {
    throw new Error(`${this.kind}: requests(params) not implemented`);
  }

  /** Draws the answers; `runs` is [{label, body, answer}]. */
  draw(runs, params) {
    throw new Error(`${this.kind}: draw(runs) not implemented`);
  }

  async run(params) {
    this.running?.abort();
    const controller = new AbortController();
    this.running = controller;
    clearErrors(this.root);
    const runs = this.requests(params);
    try {
      for (let i = 0; i < runs.length; i++) {
        showState(this.root, 'running',
          `Computing on the server… (${i + 1} of ${runs.length})`);
        runs[i].answer = await postJson(this.endpoint, runs[i].body, {
          signal: controller.signal,
          timeoutMs: Number(this.root.dataset.timeoutMs) || undefined,
          onRetry: ({ attempt, retries }) => showState(this.root, 'busy',
            `Server busy, retrying (retry ${attempt} of ${retries})…`),
        });
      }
      if (this.running !== controller) return;
      this.draw(runs, params);
      const output = this.root.querySelector('.experiment-output');
      this.gate.cover([output.querySelector('.heatmaps'), output.querySelector('.trace')]);
      this.showWarnings([...new Set(runs.flatMap((r) => (r.answer.warnings ?? [])
        .filter((w) => this.shows(w))
        .map((w) => (runs.length > 1 ? `${r.label}: ${w}` : w))))]);
      this.root.dataset.requests = JSON.stringify(runs.map((r) => r.body));
      const millis = runs.reduce((sum, r) => sum + (r.answer.cost?.elapsedMillis ?? 0), 0);
      showState(this.root, 'done', `Computed ${runs.length} ${runs.length === 1 ? 'request'
        : 'requests'} on the server, ${millis.toFixed(1)} ms of computation in all.`);
    } catch (e) {
      if (!(e instanceof ApiError)) throw e;
      if (e.kind !== 'cancelled') this.fail(e);
    } finally {
      if (this.running === controller) this.running = null;
    }
  }

  /** Whether the server's warning `text` concerns what this widget draws. */
  shows(text) {
    return true;
  }

  /** The `.heatmaps` slot of the output, emptied (the widgets draw there). */
  canvas() {
    const slot = this.root.querySelector('.experiment-output .heatmaps');
    slot.replaceChildren();
    this.root.querySelector('.experiment-output .trace').replaceChildren();
    return slot;
  }
}

/** An element with a class and text. */
export function el(tag, className, text) {
  const e = document.createElement(tag);
  if (className) e.className = className;
  if (text !== undefined) e.textContent = text;
  return e;
}

/** A captioned table of rows of cells; a cell is text or {text, value, className}. */
export function dataTable({ caption, columns, rows, testid, rowTestid }) {
  const scroll = el('div', 'table-scroll');
  scroll.tabIndex = 0;
  scroll.setAttribute('role', 'region');
  scroll.setAttribute('aria-label', caption);
  const table = el('table', 'data-table');
  if (testid) table.dataset.testid = testid;
  table.createCaption().textContent = caption;
  const head = table.createTHead().insertRow();
  for (const c of columns) {
    const th = el('th', null, c);
    th.scope = 'col';
    head.append(th);
  }
  const body = table.createTBody();
  for (const row of rows) {
    const tr = body.insertRow();
    if (rowTestid) tr.dataset.testid = rowTestid;
    for (const [k, v] of Object.entries(row.data ?? {})) tr.dataset[k] = String(v);
    row.cells.forEach((c, i) => {
      const cell = i === 0 ? el('th') : tr.insertCell();
      if (i === 0) {
        cell.scope = 'row';
        tr.append(cell);
      }
      if (typeof c === 'object' && c !== null) {
        cell.textContent = c.text;
        if (c.className) cell.className = c.className;
        if (c.value !== undefined) cell.dataset.value = String(c.value);
      } else {
        cell.textContent = c;
      }
    });
  }
  scroll.append(table);
  return scroll;
}
