// A backward pass with and without gradient checkpointing (POST /api/v1/advanced/checkpointing).

import { COUNT, el, mib, table } from './dom.js';

export function renderCheckpointing(container, answer) {
  const row = (name, r) => [name, String(r.segment), mib(r.activationBytesKept),
    String(r.recomputedLayers), COUNT.format(r.recomputeFlops),
    `${(r.elapsedNanos / 1e6).toFixed(0)} ms`];
  const note = el('p', 'checkpointing-note', 'Largest difference between the two runs\' '
    + `gradients: ${answer.maxGradientDifference.toExponential(1)}.`);
  note.dataset.testid = 'checkpointing-difference';
  container.replaceChildren(table('Both runs on the same stack', ['run', 'segment',
    'activations kept', 'layers recomputed', 'FLOPs recomputed', 'time'],
  [row('plain', answer.plain), row('checkpointed', answer.checkpointed)], 'checkpointing-runs'),
  note);
}
