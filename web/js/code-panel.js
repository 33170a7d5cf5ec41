// The chapters' code panels ("The code") and the source pages: highlights the Java and PyTorch
// lines with highlight.js, served by this app from its WebJar. The library and its two themes
// (light and dark, chosen by the reader's colour scheme) load only on pages that show code, and
// a panel's code is highlighted the first time the panel opens.

const BASE = '/webjars/highlightjs';
let highlighter = null;

function loadHighlighter() {
  highlighter ??= new Promise((resolve, reject) => {
    for (const [theme, scheme] of [['a11y-light', 'light'], ['a11y-dark', 'dark']]) {
      const link = document.createElement('link');
      link.rel = 'stylesheet';
      link.href = `${BASE}/styles/${theme}.min.css`;
      link.media = `(prefers-color-scheme: ${scheme})`;
      document.head.append(link);
    }
    const script = document.createElement('script');
    script.src = `${BASE}/highlight.min.js`;
    script.onload = () => resolve(window.hljs);
    script.onerror = () => reject(new Error(`${script.src} did not load`));
    document.head.append(script);
  });
  return highlighter;
}

/**
 * Cuts highlighted code into one element per line, each with its line number, so that a long
 * line can wrap (with a hanging indent) instead of hiding behind a scroll bar in a narrow column.
 * A highlighted token may span lines (a Javadoc comment): its open spans are closed at the end
 * of each line and reopened on the next.
 */
function numberLines(code, firstLine) {
  const open = [];
  const lines = code.innerHTML.split('\n').map((line) => {
    const html = open.join('') + line;
    for (const [tag] of line.matchAll(/<span[^>]*>|<\/span>/g)) {
      if (tag === '</span>') open.pop();
      else open.push(tag);
    }
    return html + '</span>'.repeat(open.length);
  });
  code.replaceChildren(...lines.map((html, i) => {
    const row = document.createElement('span');
    row.className = 'code-line';
    const number = document.createElement('span');
    number.className = 'code-number';
    number.setAttribute('aria-hidden', 'true');
    number.textContent = String(firstLine + i);
    const content = document.createElement('span');
    content.className = 'code-content';
    content.innerHTML = html || ' ';
    // Wrapped parts of a line start four columns right of the line's own indentation.
    const indent = content.textContent.length - content.textContent.trimStart().length + 4;
    content.style.paddingLeft = `${indent}ch`;
    content.style.textIndent = `-${indent}ch`;
    row.append(number, content);
    return row;
  }));
  code.closest('.code-scroll')?.querySelector('.code-gutter')?.remove();
  code.classList.add('code-numbered');
}

async function highlight(container) {
  const blocks = [...container.querySelectorAll('code[class*="language-"]')]
    .filter((code) => !code.dataset.highlighted);
  if (blocks.length === 0) return;
  try {
    const hljs = await loadHighlighter();
    for (const code of blocks) {
      hljs.highlightElement(code);
      const piece = code.closest('[data-first-line]');
      if (piece) numberLines(code, Number(piece.dataset.firstLine));
    }
  } catch (error) {
    // The code stays readable as plain text, with its line numbers; say why it has no colours.
    console.warn(error.message);
  }
}

/** Highlights each code panel when it first opens, and a source page at once. */
export function startCodePanels(root) {
  for (const panel of root.querySelectorAll('details.code-panel')) {
    if (panel.open) highlight(panel);
    panel.addEventListener('toggle', () => {
      if (panel.open) highlight(panel);
    });
  }
  const source = root.querySelector('[data-testid=source-file]');
  if (source) highlight(source);
}
