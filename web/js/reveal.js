// "Predict first": an experiment whose directive names an exercise in `reveal` keeps its result
// covered until the reader has answered that exercise (now or on an earlier visit, as the
// browser remembers), or asks to see the result anyway.

import { ANSWERED_EVENT, savedAnswer } from './exercise.js';

export class RevealGate {
  /** @param {HTMLElement} root the experiment; @param {string|null} exerciseId */
  constructor(root, exerciseId) {
    this.root = root;
    this.exerciseId = exerciseId || null;
    this.open = !this.exerciseId || savedAnswer(document, this.exerciseId) !== null;
    if (!this.open) {
      document.addEventListener(ANSWERED_EVENT, (event) => {
        if (event.detail.id === this.exerciseId) this.reveal();
      });
    }
  }

  /** Hides `parts` behind a cover placed before the first of them, unless already open. */
  cover(parts) {
    this.parts = parts;
    this.root.querySelector('.reveal-cover')?.remove();
    if (this.open) return;
    parts.forEach((p) => { p.hidden = true; });
    const cover = document.createElement('div');
    cover.className = 'reveal-cover';
    const text = document.createElement('p');
    text.textContent = 'Answer the exercise above first: the result, shapes included, appears'
      + ' once you have.';
    const button = document.createElement('button');
    button.type = 'button';
    button.className = 'reveal-now';
    button.dataset.testid = 'reveal';
    button.textContent = 'Show the result now';
    button.addEventListener('click', () => this.reveal());
    cover.append(text, button);
    parts[0].before(cover);
  }

  reveal() {
    this.open = true;
    this.root.querySelector('.reveal-cover')?.remove();
    (this.parts ?? []).forEach((p) => { p.hidden = false; });
  }
}
