// The visible state of an experiment: one word in data-state (for CSS and tests) and one
// sentence in the status line, which screen readers announce (role="status").

export const STATES = ['idle', 'running', 'busy', 'done', 'bad-input', 'timeout', 'unavailable',
  'error'];

export function showState(root, state, message) {
  if (!STATES.includes(state)) throw new Error(`unknown state ${state}`);
  const status = root.querySelector('.status');
  root.dataset.state = state;
  status.dataset.state = state;
  status.querySelector('.status-text').textContent = message;
  const output = root.querySelector('.experiment-output');
  output.setAttribute('aria-busy', String(state === 'running' || state === 'busy'));
  output.classList.toggle('stale', state !== 'done' && output.childElementCount > 0);
  const run = root.querySelector('button[type="submit"]');
  if (run) run.textContent = state === 'running' || state === 'busy' ? 'Running…' : 'Run';
}

/**
 * Shows `message` next to the control named `field`, or above the results if there is none.
 * Returns whether it found the control.
 */
export function showFieldError(root, field, message) {
  const input = field ? root.querySelector(`[name="${CSS.escape(field)}"]`) : null;
  const slot = input ? root.querySelector(`#${CSS.escape(input.id)}-error`) : null;
  if (slot) {
    slot.textContent = message;
    slot.hidden = false;
    input.setAttribute('aria-invalid', 'true');
    return true;
  }
  const general = root.querySelector('.form-error');
  general.textContent = field ? `${field}: ${message}` : message;
  general.hidden = false;
  return false;
}

export function clearErrors(root) {
  for (const slot of root.querySelectorAll('.field-error, .form-error')) {
    slot.textContent = '';
    slot.hidden = true;
  }
  for (const input of root.querySelectorAll('[aria-invalid]')) {
    input.removeAttribute('aria-invalid');
  }
}
