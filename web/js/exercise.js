// Exercises: "predict the shape", "work it out" and multiple-choice questions written in the
// chapters as ```exercise blocks (rendered by ExerciseDirective.java). Answers are checked here,
// at once; right or wrong is said in words and with a mark, never by colour alone; the
// explanation opens after any answer. Progress stays in this browser (localStorage), no account.

const STORAGE_KEY = 'mha-notebook.exercises';
export const ANSWERED_EVENT = 'exercise:answered';

function load() {
  try {
    return JSON.parse(globalThis.localStorage?.getItem(STORAGE_KEY) ?? '{}') ?? {};
  } catch {
    return {};
  }
}

function save(progress) {
  try {
    globalThis.localStorage?.setItem(STORAGE_KEY, JSON.stringify(progress));
  } catch {
    // Private mode or storage full: the exercise still works, it is only not remembered.
  }
}

function chapterOf(root) {
  return root.closest('[data-chapter]')?.dataset.chapter ?? location.pathname;
}

function keyOf(root) {
  return `${chapterOf(root)}/${root.dataset.exerciseId}`;
}

/** The saved answer of exercise `id` on this page, or null. */
export function savedAnswer(doc, id) {
  const root = doc.getElementById(`exercise-${id}`);
  return root ? load()[keyOf(root)] ?? null : null;
}

/** Parses a shape such as "[1, 2, 6, 6]", "(1,2,6,6)" or "1 x 2 x 6 x 6"; null if it is none. */
export function parseShape(text) {
  const inner = text.trim().replace(/^[[(]\s*/, '').replace(/\s*[\])]$/, '');
  if (inner === '') return null;
  const parts = inner.split(/\s*(?:,|×|x|\*|\s)\s*/i).filter((p) => p !== '');
  if (parts.length === 0 || parts.some((p) => !/^\d+$/.test(p))) return null;
  return parts.map(Number);
}

/** Parses a number, accepting a leading "≈" or "~" and an exponent; null if it is none. */
export function parseNumber(text) {
  const t = text.trim().replace(/^[≈~]\s*/, '').replace(/−/g, '-');
  if (!/^[-+]?(\d+\.?\d*|\.\d+)(e[-+]?\d+)?$/i.test(t)) return null;
  return Number(t);
}

/**
 * Checks `given` (the reader's text or chosen option) against the exercise's answer.
 * @returns {{valid: boolean, correct: boolean, message?: string}}
 */
export function check(kind, answer, given, tolerance = 0) {
  if (kind === 'shape') {
    const shape = parseShape(given);
    if (!shape) {
      return { valid: false, correct: false, message: 'Write sizes in brackets, e.g. [3, 4].' };
    }
    const correct = shape.length === answer.length && shape.every((n, i) => n === answer[i]);
    let hint = '';
    if (!correct && shape.length !== answer.length) {
      const axes = shape.length === 1 ? 'axis' : 'axes';
      hint = ` Your shape has ${shape.length} ${axes}; count them again.`;
    }
    return { valid: true, correct, message: hint };
  }
  if (kind === 'number') {
    const n = parseNumber(given);
    if (n === null) return { valid: false, correct: false, message: 'Write a number, e.g. 0.25.' };
    return { valid: true, correct: Math.abs(n - answer) <= tolerance };
  }
  if (given == null || given === '') {
    return { valid: false, correct: false, message: 'Choose one of the options.' };
  }
  return { valid: true, correct: given === answer };
}

function format(kind, answer) {
  return kind === 'shape' ? `[${answer.join(', ')}]` : String(answer);
}

class Exercise {
  constructor(root) {
    this.root = root;
    this.kind = root.dataset.exerciseKind;
    this.answer = JSON.parse(root.dataset.answer);
    this.tolerance = Number(root.dataset.tolerance ?? 0);
    this.form = root.querySelector('form');
    this.feedback = root.querySelector('.exercise-feedback');
    this.explanation = root.querySelector('.exercise-explanation');
    this.form.addEventListener('submit', (event) => {
      event.preventDefault();
      this.submit();
    });
    // The server sends Check disabled: a press before the scripts arrive would reload the page.
    this.form.querySelector('.exercise-check').disabled = false;
    const saved = load()[keyOf(root)];
    if (saved) this.restore(saved);
  }

  given() {
    if (this.kind === 'choice') {
      return this.form.querySelector('input[name="answer"]:checked')?.value ?? '';
    }
    return this.form.elements.answer.value;
  }

  submit() {
    const given = this.given();
    const result = check(this.kind, this.answer, given, this.tolerance);
    if (!result.valid) {
      this.show('invalid', result.message);
      return;
    }
    this.show(result.correct ? 'right' : 'wrong', result.message);
    const progress = load();
    progress[keyOf(this.root)] = {
      answer: given, correct: result.correct, at: new Date().toISOString(),
    };
    save(progress);
    this.announce(result.correct);
  }

  restore(saved) {
    if (this.kind === 'choice') {
      for (const radio of this.form.querySelectorAll('input[name="answer"]')) {
        radio.checked = radio.value === saved.answer;
      }
    } else {
      this.form.elements.answer.value = saved.answer;
    }
    this.show(saved.correct ? 'right' : 'wrong', '', true);
  }

  show(result, extra = '', restored = false) {
    this.root.dataset.result = result;
    this.feedback.dataset.result = result;
    const input = this.form.elements.answer;
    if (input instanceof HTMLInputElement) {
      input.setAttribute('aria-invalid', String(result === 'invalid'));
    }
    if (result === 'invalid') {
      this.feedback.textContent = `⚠ ${extra}`;
      return;
    }
    const right = result === 'right';
    const mark = right ? '✓ Correct.' : '✗ Not quite.';
    const reveal = right ? '' : ` The answer is ${format(this.kind, this.answer)}.`;
    const memo = restored ? ' (Your earlier answer, remembered by this browser.)' : '';
    this.feedback.textContent = `${mark}${reveal}${extra ?? ''}${memo}`;
    this.explanation.hidden = false;
  }

  announce(correct) {
    this.root.dispatchEvent(new CustomEvent(ANSWERED_EVENT, {
      bubbles: true, detail: { id: this.root.dataset.exerciseId, correct },
    }));
  }
}

/** Writes "n of m answered on this page" under every exercise of the page. */
function showProgress(roots) {
  const progress = load();
  const answered = roots.filter((r) => progress[keyOf(r)]).length;
  const right = roots.filter((r) => progress[keyOf(r)]?.correct).length;
  for (const root of roots) {
    let line = root.querySelector('.exercise-progress');
    if (!line) {
      line = document.createElement('p');
      line.className = 'exercise-progress';
      line.dataset.testid = 'exercise-progress';
      root.append(line);
    }
    line.textContent = `${answered} of ${roots.length} exercises on this page answered`
      + (answered > 0 ? `, ${right} right` : '') + '; kept in this browser only.';
  }
}

/** Starts every exercise on the page, restoring answers saved in this browser. */
export function startExercises(doc) {
  const roots = [...doc.querySelectorAll('[data-exercise-id]')];
  for (const root of roots) {
    root.exercise = new Exercise(root);
  }
  showProgress(roots);
  doc.addEventListener(ANSWERED_EVENT, () => showProgress(roots));
}
