// Entry point of every page. The page first paints with its own HTML and styles; then this
// loads the libraries the page uses (KaTeX for math, d3 and lz-string for experiments), from
// the versioned WebJar paths its script tag names, and starts the page's widgets (page.js) or,
// on a page of text and formulas only, renders the formulas; code panels and source pages start
// their highlighting.
// Loading them after the first paint keeps about 200 KB of script off the path to the first
// screen of text on a slow phone; the math and the experiments' results follow a moment later.

const libraries = document.querySelector('script[data-katex-js]').dataset;

// Each KaTeX font its formulas use in most chapters. Rendering waits for them so formulas are laid
// out once, with their own glyphs, instead of shifting when the fonts arrive.
const KATEX_FONTS = ['1em KaTeX_Main', 'italic 1em KaTeX_Math', '1em KaTeX_Size1',
  '1em KaTeX_AMS'];
const FONT_WAIT_MS = 3000;

function load(element) {
  return new Promise((resolve, reject) => {
    element.addEventListener('load', resolve, { once: true });
    element.addEventListener('error', () => reject(new Error(`Cannot load ${element.src
      ?? element.href}`)), { once: true });
    document.head.append(element);
  });
}

/** Loads a script; scripts loaded `inOrder` run in the order asked, each in a task of its own. */
function script(src, inOrder = false) {
  const element = document.createElement('script');
  element.async = !inOrder;
  element.src = src;
  return load(element);
}

function stylesheet(href) {
  const element = document.createElement('link');
  element.rel = 'stylesheet';
  element.href = href;
  return load(element);
}

async function katex() {
  await Promise.all([stylesheet(libraries.katexCss), script(libraries.katexJs)]);
  const fonts = Promise.all(KATEX_FONTS.map((font) => document.fonts.load(font)));
  await Promise.race([fonts, new Promise((resolve) => { setTimeout(resolve, FONT_WAIT_MS); })]);
}

/** Resolves after the browser has painted the page as the server sent it. */
function afterFirstPaint() {
  return new Promise((resolve) => {
    requestAnimationFrame(() => setTimeout(resolve, 0));
  });
}

const interactive = document.querySelector(
  '[data-endpoint], [data-heads-compare], [data-exercise-id]') !== null;
const math = interactive || document.querySelector('.math') !== null;

await afterFirstPaint();
const loaded = await Promise.allSettled([
  math ? katex() : null,
  // The d3 modules, downloaded together: a dozen short tasks instead of one long one.
  interactive ? Promise.all(libraries.d3Js.split(' ').map((src) => script(src, true))) : null,
  interactive ? script(libraries.lzStringJs) : null,
]);
// A library that failed to load leaves its part of the page as the server sent it (math as TeX
// source); the rest of the page still starts.
loaded.filter((r) => r.status === 'rejected').forEach((r) => console.error(r.reason));
if (interactive) {
  // The first Intl.NumberFormat loads ICU's number data (about 10 ms here, four times that on a
  // slow phone); the widgets' modules make theirs as they load, all in one task. Paying for it
  // here, in a task of its own, keeps that task short.
  await new Promise((resolve) => { setTimeout(resolve, 0); });
  new Intl.NumberFormat('en').format(1);
  await import('./page.js');
} else if (math) {
  const { renderMathGradually } = await import('./math.js');
  renderMathGradually(document.body);
}
// The code panels and the source pages load highlight.js themselves, when code is first shown.
if (document.querySelector('details.code-panel, [data-testid=source-file]')) {
  const { startCodePanels } = await import('./code-panel.js');
  startCodePanels(document);
}
