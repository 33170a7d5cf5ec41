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

/** Renders every `.math` element below `root` (`.math-display` in display mode). */
export function renderMathIn(root) {
  const displays = [];
  for (const element of root.querySelectorAll('.math')) {
    if (element.dataset.tex !== undefined) continue;
    const display = element.classList.contains('math-display');
    renderTex(element, element.textContent, display);
    if (display) displays.push(element);
  }
  const check = () => displays.forEach(makeOverflowFocusable);
  check();
  window.addEventListener('resize', check);
}
