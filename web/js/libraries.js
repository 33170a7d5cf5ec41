// Loads the front-end libraries from the versioned WebJar paths that main.js's script tag names
// (data-katex-js, data-d3-js, ...), each once, after the page has painted.

const paths = document.querySelector('script[data-katex-js]').dataset;

/** The paths main.js's script tag names: katexJs, katexCss, d3Js (space-separated), lzStringJs. */
export const libraries = paths;

function load(element) {
  return new Promise((resolve, reject) => {
    element.addEventListener('load', resolve, { once: true });
    element.addEventListener('error', () => reject(new Error(`Cannot load ${element.src
      ?? element.href}`)), { once: true });
    document.head.append(element);
  });
}

/** Loads a script; scripts loaded `inOrder` run in the order asked, each in a task of its own. */
export function script(src, inOrder = false) {
  const element = document.createElement('script');
  element.async = !inOrder;
  element.src = src;
  return load(element);
}

/** Loads a stylesheet unless the page links it already (pages with typeset formulas do). */
export function stylesheet(href) {
  if ([...document.styleSheets].some((sheet) => sheet.href?.endsWith(href))) {
    return Promise.resolve();
  }
  const element = document.createElement('link');
  element.rel = 'stylesheet';
  element.href = href;
  return load(element);
}
