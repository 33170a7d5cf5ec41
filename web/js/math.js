// TeX rendered by KaTeX (served by the app from its WebJar; main.js loads it, with its styles
// and fonts, before page.js imports this). The server leaves math as escaped TeX in .math
// elements.

import { nextTask } from './tasks.js';

const katex = globalThis.katex;

/** Renders `tex` into `element`; a TeX error shows the source instead of breaking the page. */
export function renderTex(element, tex, display = false) {
  element.dataset.tex = tex;
  if (!katex) {
    element.textContent = tex;
    return;
  }
  katex.render(tex, element,
    { displayMode: display, throwOnError: false, output: 'htmlAndMathml' });
}

/** Lets keyboard users scroll display math that is wider than the page (phones). */
function makeOverflowFocusable(element) {
  const wide = element.scrollWidth > element.clientWidth + 1;
  if (wide) {
    element.tabIndex = 0;
    element.setAttribute('role', 'group');
    element.setAttribute('aria-label', 'Formula, scrolls sideways');
  } else if (element.getAttribute('role') === 'group') {
    element.removeAttribute('tabindex');
    element.removeAttribute('role');
    element.removeAttribute('aria-label');
  }
}

// Checks a display formula whenever its box changes size (first layout, window resizes). The
// observer runs after layout, so reading the widths forces no extra layout.
const overflowWatch = new ResizeObserver(
  (entries) => entries.forEach((e) => makeOverflowFocusable(e.target)));

function renderElement(element) {
  const display = element.classList.contains('math-display');
  renderTex(element, element.textContent, display);
  if (display) overflowWatch.observe(element);
}

// Longest stretch of rendering before the browser gets a turn: a slow phone takes about four
// times as long, and the layout that follows each stretch adds to it, still under the 50 ms that
// counts as a long task.
const SLICE_MS = 4;

/**
 * Renders every `.math` element below `root` (`.math-display` in display mode) in document order,
 * yielding to the browser every few milliseconds, so that a chapter with a hundred formulas never
 * blocks input or painting for long.
 */
export function renderMathGradually(root) {
  return renderGradually([...root.querySelectorAll('.math')]);
}

/**
 * Renders the TeX each of `elements` holds as text (in display mode if it has the class
 * `math-display`), in order, yielding to the browser every few milliseconds.
 */
export async function renderGradually(elements) {
  let sliceStart = performance.now();
  for (const element of elements) {
    if (element.dataset.tex !== undefined) continue;
    renderElement(element);
    if (performance.now() - sliceStart > SLICE_MS) {
      await nextTask();
      sliceStart = performance.now();
    }
  }
}
