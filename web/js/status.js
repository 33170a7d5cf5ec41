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

/** The visible label of each named control of the experiment `root`, by name. */
function controlLabels(root) {
  const labels = new Map();
  for (const control of root.querySelectorAll('[name][id]')) {
    const label = root.querySelector(`label[for="${CSS.escape(control.id)}"]`);
    const text = label?.textContent.replace(/\s+/g, ' ').trim();
    if (text && !labels.has(control.name)) labels.set(control.name, text);
  }
  return labels;
}

/** The notation page's names of the size fields, for a field the form has no control for. */
const NOTATION = {
  modelDim: 'd_model', headDim: 'd_k', kvHeads: 'K/V heads g', queryLength: 'query length L',
  keyLength: 'key length S', blockSize: 'tile size',
};

/**
 * `message` (the server's, which names API fields, as its contract says) in the words of the
 * form: each field that has a control here is written as the control's label in quotes, and a
 * size field without one by its symbol, "heads must divide modelDim (modelDim=10, heads=3)"
 * becoming "“Heads h” must divide “Model width d_model” (“Model width d_model” = 10,
 * “Heads h” = 3)". A field name that is also an English word ("heads", "causal") is replaced
 * only where it is plainly the field: at the start of the message or before "=".
 */
export function inFormWords(root, message) {
  const labels = controlLabels(root);
  const words = new Map(Object.entries(NOTATION));
  for (const [name, label] of labels) words.set(name, `“${label}”`);
  const names = [...words.keys()].sort((a, b) => b.length - a.length)
    .map((n) => n.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
  const pattern = new RegExp(`(?<![\\w.\\[])(${names.join('|')})(?![\\w])(=?)`, 'g');
  return message.replace(pattern, (match, name, equals, offset) => {
    const plainField = /[A-Z]/.test(name) || offset === 0 || equals === '=';
    if (!plainField) return match;
    return `${words.get(name)}${equals ? ' = ' : ''}`;
  });
}

/**
 * Shows `message` next to the control named `field`, or above the results if there is none, in
 * the words of the form (inFormWords). Returns whether it found the control.
 */
export function showFieldError(root, field, message) {
  const input = field ? root.querySelector(`[name="${CSS.escape(field)}"]`) : null;
  const slot = input ? root.querySelector(`#${CSS.escape(input.id)}-error`) : null;
  const text = inFormWords(root, message);
  if (slot) {
    slot.textContent = text;
    slot.hidden = false;
    input.setAttribute('aria-invalid', 'true');
    return true;
  }
  const general = root.querySelector('.form-error');
  general.textContent = field && !message.includes(field) ? `${field}: ${text}` : text;
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
