// The length sweep, a long job (POST /api/v1/jobs/length-sweep): follows the job's server-sent
// events with a progress bar, adds a row per measured length, and cancels the job on request.
// Leaving the page closes the event stream, which cancels the job on the server.

import { el, mib, table } from './dom.js';

/**
 * @param {HTMLElement} container emptied and refilled
 * @param {{id: string, events: string, plan: object[]}} job the server's 202 answer
 * @param {(state: string, message: string) => void} report updates the experiment's state
 * @returns {() => void} closes the stream
 */
export function followSweep(container, job, report) {
  const progress = el('progress', 'job-progress');
  progress.max = 1;
  progress.value = 0;
  progress.dataset.testid = 'progress';
  progress.setAttribute('aria-label', 'Progress of the sweep');
  const cancel = el('button', 'job-cancel', 'Cancel');
  cancel.type = 'button';
  cancel.dataset.testid = 'cancel';
  const refused = job.plan.filter((p) => !p.runs).map((p) => [p.implementation,
    String(p.length), p.reason]);
  const rows = [];
  const results = el('div', 'sweep-results');
  container.replaceChildren(progress, cancel, results);
  if (refused.length > 0) {
    container.append(table('Refused by the budget', ['path', 'L', 'why'], refused,
      'sweep-refused'));
  }
  const draw = () => results.replaceChildren(table('Measured, one forward pass each',
    ['path', 'L', 'block', 'time', 'measured peak', 'estimated peak'], rows, 'sweep-points'));

  const source = new EventSource(job.events);
  const close = () => {
    source.close();
    cancel.disabled = true;
  };
  cancel.addEventListener('click', () => {
    fetch(`/api/v1/jobs/${encodeURIComponent(job.id)}`, { method: 'DELETE' });
  });
  source.onmessage = (message) => {
    const e = JSON.parse(message.data);
    if (e.fraction != null && e.type !== 'cancelled' && e.type !== 'error') {
      progress.value = e.fraction;
    }
    if (e.type === 'point') {
      const p = e.data;
      rows.push([p.implementation.toLowerCase(), String(p.length),
        p.implementation === 'TILED' ? String(p.blockSize) : '–',
        `${p.forwardMillis.toFixed(0)} ms`, mib(p.measuredPeakBytes), mib(p.estimatedPeakBytes)]);
      draw();
      report('running', `Measured ${rows.length} lengths…`);
    } else if (e.type === 'done') {
      close();
      report('done', `Sweep ${e.message}.`);
    } else if (e.type === 'cancelled') {
      close();
      report('error', `Sweep stopped: ${e.message}.`);
    } else if (e.type === 'error') {
      close();
      report('error', e.message);
    }
  };
  source.onerror = () => {
    if (source.readyState === EventSource.CLOSED) close();
  };
  return close;
}
