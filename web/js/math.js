// TeX the browser still has to render. The server sends the chapters' and pages' formulas
// already typeset by KaTeX at build time (class `typeset`, see Formulas.java), so most pages run
// no KaTeX at all. What is left is TeX made at run time, chiefly the shape trace's formulas from
// the API, and any formula the build did not see (a chapter edited under quarkus:dev). KaTeX's
// script (270 KB, one long task to evaluate on a slow phone) is loaded the first time such a
// formula comes near the screen, and the formulas render a few at a time.

import { libraries, script, stylesheet } from './libraries.js';
import { nextTask } from './tasks.js';

// Each KaTeX face its formulas use in most chapters (family, style; all of weight 400). Rendering
// waits for them so formulas are laid out once, with their own glyphs, instead of shifting when
// the fonts arrive.
const KATEX_FACES = [['KaTeX_Main', 'normal'], ['KaTeX_Math', 'italic'], ['KaTeX_Size1', 'normal'],
  ['KaTeX_AMS', 'normal']];
const FONT_WAIT_MS = 3000;
const EVERY_CHARACTER = 'U+0-10FFFF';

/**
 * The font faces to wait for: for each common KaTeX face, the build's subset of it where the page
 * declares one (KatexFonts.java; a face with a unicode-range), else KaTeX's full face. Loading by
 * name (document.fonts.load) would fetch the full faces as well, since their range covers any
 * text.
 */
function commonFaces() {
  const declared = [...document.fonts];
  return KATEX_FACES.flatMap(([family, style]) => {
    const faces = declared.filter((face) => face.family.replaceAll('"', '') === family
      && face.style === style && (face.weight === '400' || face.weight === 'normal'));
    const subsets = faces.filter((face) => face.unicodeRange !== EVERY_CHARACTER);
    return subsets.length > 0 ? subsets : faces;
  });
}

let katexLoaded = null;

/** KaTeX, its styles and fonts, loaded once; resolves to null when they cannot be loaded. */
function katex() {
  katexLoaded ??= (async () => {
    await Promise.all([stylesheet(libraries.katexCss), script(libraries.katexJs)]);
    const fonts = Promise.all(commonFaces().map((face) => face.load()));
    await Promise.race([fonts, new Promise((resolve) => { setTimeout(resolve, FONT_WAIT_MS); })]);
    return globalThis.katex;
  })().catch((error) => {
    // The formulas stay TeX source; the rest of the page works.
    console.error(error);
    return null;
  });
  return katexLoaded;
}

/**
 * Renders `tex` into `element` with the options the build uses (TypesetFormulas.java); a TeX
 * error shows the source instead of breaking the page.
 */
function renderTex(katexLibrary, element, tex, display) {
  element.dataset.tex = tex;
  katexLibrary.render(tex, element,
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

// Longest stretch of rendering before the browser gets a turn: a slow phone takes about four
// times as long, and the layout that follows each stretch adds to it, still under the 50 ms that
// counts as a long task.
const SLICE_MS = 4;

/** Renders `elements` in order, yielding to the browser every few milliseconds. */
async function renderGradually(elements) {
  const katexLibrary = await katex();
  if (!katexLibrary) return;
  let sliceStart = performance.now();
  for (const element of elements) {
    if (element.dataset.tex !== undefined || !element.isConnected) continue;
    renderTex(katexLibrary, element, element.textContent,
      element.classList.contains('math-display'));
    if (performance.now() - sliceStart > SLICE_MS) {
      await nextTask();
      sliceStart = performance.now();
    }
  }
}

// Formulas are rendered once they come within this distance of the screen, so a reader scrolling
// at an ordinary pace sees them rendered.
const near = new IntersectionObserver((entries) => {
  const arrived = entries.filter((e) => e.isIntersecting).map((e) => e.target);
  arrived.forEach((element) => near.unobserve(element));
  if (arrived.length > 0) renderGradually(arrived);
}, { rootMargin: '1500px 0px' });

/**
 * Renders the TeX each of `elements` holds as text (in display mode if it has the class
 * `math-display`) once it comes near the screen.
 */
export function renderWhenNear(elements) {
  for (const element of elements) {
    if (element.classList.contains('math-display')) overflowWatch.observe(element);
    near.observe(element);
  }
}

/** Renders every `.math` element below `root` that the server sent as TeX. */
export function renderPageMath(root) {
  renderWhenNear(root.querySelectorAll('.math:not(.typeset)'));
  // Typeset display formulas still need their overflow check.
  root.querySelectorAll('.math-display.typeset').forEach((e) => overflowWatch.observe(e));
}
