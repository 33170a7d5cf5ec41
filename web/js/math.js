// TeX rendered by KaTeX (served by the app from its WebJar, loaded as a classic script before
// the modules run). The server leaves math as escaped TeX in .math elements.

const katex = globalThis.katex;

/** Renders `tex` into `element`; a TeX error shows the source instead of breaking the page. */
export function renderTex(element, tex, display = false) {
  element.dataset.tex = tex;
  if (!katex) {
    element.textContent = tex;
    return;
  }
  katex.render(tex, element, { displayMode: display, throwOnError: false, output: 'htmlAndMathml' });
}

/** Renders every `.math` element below `root` (`.math-display` in display mode). */
export function renderMathIn(root) {
  for (const element of root.querySelectorAll('.math')) {
    if (element.dataset.tex !== undefined) continue;
    renderTex(element, element.textContent, element.classList.contains('math-display'));
  }
}
