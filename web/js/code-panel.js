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

async function highlight(container) {
  const blocks = [...container.querySelectorAll('code[class*="language-"]')]
    .filter((code) => !code.dataset.highlighted);
  if (blocks.length === 0) return;
  try {
    const hljs = await loadHighlighter();
    for (const code of blocks) hljs.highlightElement(code);
  } catch (error) {
    // The code stays readable as plain text; say why it has no colours.
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
