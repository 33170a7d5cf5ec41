// Entry point of every page. The page first paints with its own HTML and styles, its formulas
// already typeset by the build (Formulas.java); then this loads the libraries the experiments use
// (d3 and lz-string), from the versioned WebJar paths its script tag names, and starts the page's
// widgets (page.js) or, on a page of text and formulas only, math.js (which renders any formula
// the server sent as TeX and makes wide formulas scrollable by keyboard); code panels and source
// pages start their highlighting.
// Loading them after the first paint keeps about 150 KB of script off the path to the first
// screen of text on a slow phone; the experiments' results follow a moment later.

import { libraries, script } from './libraries.js';

// Longest wait for the first paint: a browser without paint timing, or a page opened in the
// background (it paints when shown), starts its widgets after this anyway.
const FIRST_PAINT_WAIT_MS = 3000;

/**
 * Resolves once the browser has painted the page's first text as the server sent it (its
 * first-contentful-paint entry). An animation frame is not enough: a frame may run before the
 * text can be painted (while the styles or the preloaded fonts are still arriving), and the
 * libraries would then compete with them.
 */
function afterFirstPaint() {
  return new Promise((resolve) => {
    let observer = null;
    const done = () => {
      observer?.disconnect();
      clearTimeout(timer);
      resolve();
    };
    const timer = setTimeout(done, FIRST_PAINT_WAIT_MS);
    if (PerformanceObserver.supportedEntryTypes?.includes('paint')) {
      observer = new PerformanceObserver((entries) => {
        if (entries.getEntriesByName('first-contentful-paint').length > 0) {
          done();
        }
      });
      observer.observe({ type: 'paint', buffered: true });
    } else {
      requestAnimationFrame(() => setTimeout(done, 0));
    }
  });
}

const interactive = document.querySelector(
  '[data-endpoint], [data-heads-compare], [data-exercise-id]') !== null;
const math = document.querySelector('.math') !== null;

await afterFirstPaint();
if (interactive) {
  const loaded = await Promise.allSettled([
    // The d3 modules, downloaded together: a dozen short tasks instead of one long one.
    Promise.all(libraries.d3Js.split(' ').map((src) => script(src, true))),
    script(libraries.lzStringJs),
  ]);
  // A library that failed to load leaves its part of the page as the server sent it; the rest
  // of the page still starts.
  loaded.filter((r) => r.status === 'rejected').forEach((r) => console.error(r.reason));
  // The widgets format numbers with d3-format (format.js), not Intl, whose first use loads
  // ICU's number data in a long task of its own.
  await import('./page.js');
} else if (math) {
  const { renderPageMath } = await import('./math.js');
  renderPageMath(document.body);
}
// The code panels and the source pages load highlight.js themselves, when code is first shown.
if (document.querySelector('details.code-panel, [data-testid=source-file]')) {
  const { startCodePanels } = await import('./code-panel.js');
  startCodePanels(document);
}
