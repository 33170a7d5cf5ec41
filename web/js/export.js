// Export of an experiment's latest result, from a toolbar under it: the heatmaps as SVG and PNG,
// the attention weights as CSV, the whole result as JSON, the shape trace as Markdown, the link,
// and "Open as notebook": a Jupyter notebook the server writes from the same request, with the
// exact inputs and weights in NumPy, that reproduces the output and the attention weights.

const NOTEBOOK_ENDPOINT = '/api/v1/export/notebook';
const SVG_NS = 'http://www.w3.org/2000/svg';
const INK = '#1c1e22';

function fileStem(root) {
  return `mha-${root.dataset.experimentId ?? 'experiment'}`;
}

/** Offers `blob` as a download named `name`. */
export function download(blob, name) {
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/**
 * A text field of CSV (RFC 4180): quoted when it holds a quote, comma or line break. A field a
 * spreadsheet would read as a formula (it starts with =, +, -, @, a tab or a carriage return)
 * gets a leading apostrophe, as OWASP advises, so a typed "=HYPERLINK(...)" stays text.
 */
export function csvField(value) {
  let text = String(value);
  if (/^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/** The attention weights [B][h][L][S] in long format, one weight per line. */
export function attentionCsv(answer) {
  const lines = ['batch,head,query,key,queryToken,keyToken,weight'];
  const tokens = answer.tokens ?? [];
  const keyTokens = answer.keyTokens ?? tokens;
  (answer.attention ?? []).forEach((heads, b) => heads.forEach((rows, h) => rows.forEach(
    (row, i) => row.forEach((w, j) => lines.push([b, h, i, j, csvField(tokens[i] ?? ''),
      csvField(keyTokens[j] ?? ''), w].join(','))),
  )));
  return `${lines.join('\n')}\n`;
}

/** The output Y [B][L][d_model] as CSV, one row per batch element and token. */
export function outputCsv(answer) {
  const output = answer.output ?? [];
  const width = output[0]?.[0]?.length ?? 0;
  const lines = [['batch', 'position', 'token',
    ...Array.from({ length: width }, (_, c) => `y${c}`)].join(',')];
  output.forEach((rows, b) => rows.forEach((row, i) => lines.push(
    [b, i, csvField(answer.tokens?.[i] ?? ''), ...row].join(','))));
  return `${lines.join('\n')}\n`;
}

function markdownCell(text) {
  return String(text).replaceAll('|', '\\|').replaceAll('\n', ' ');
}

/**
 * A fenced code block whose fence is longer than any run of backticks in `text`, so that no text
 * the reader typed can close it and be read as Markdown or HTML.
 */
function codeBlock(language, text) {
  const longest = Math.max(0, ...(text.match(/`+/g) ?? []).map((run) => run.length));
  const fence = '`'.repeat(Math.max(3, longest + 1));
  return [`${fence}${language}`, text, fence];
}

/** The shape trace as a Markdown table, formulas as inline TeX. */
export function traceMarkdown(answer, request) {
  const spec = answer.spec ?? {};
  const lines = [
    `# Shape trace: B=${spec.batch}, L=${spec.queryLength}, S=${spec.keyLength},`
      + ` d_model=${spec.modelDim}, h=${spec.heads}, d_k=${spec.headDim}`,
    '',
    'Request:',
    '',
    ...codeBlock('json', JSON.stringify(request).slice(0, 400)),
    '',
    '| # | Step | Formula | Inputs | Output | FLOPs | Element ops | Bytes |',
    '|---|------|---------|--------|--------|------:|------------:|------:|',
  ];
  (answer.trace ?? []).forEach((s, i) => {
    const inputs = (s.inputs ?? []).map((x) => `${x.name} [${x.shape.join(', ')}]`).join('; ');
    lines.push(`| ${i + 1} | \`${s.name}\` | $${markdownCell(s.formula)}$ | ${markdownCell(inputs)}`
      + ` | [${s.outputShape.join(', ')}] | ${s.flops} | ${s.elementOps} | ${s.bytes} |`);
  });
  const cost = answer.cost ?? {};
  lines.push('', `Total: ${cost.flops} FLOPs, ${cost.elementOps} element ops,`
    + ` peak ${cost.peakBytes} bytes, ${cost.elapsedMillis} ms on the server.`, '');
  return lines.join('\n');
}

/**
 * One stand-alone SVG with every head's heatmap side by side and the colour scale under them,
 * styles inlined.
 */
export function heatmapsSvg(root) {
  const figures = [...root.querySelectorAll('.heatmap')];
  const out = document.createElementNS(SVG_NS, 'svg');
  out.setAttribute('xmlns', SVG_NS);
  let x = 0;
  let height = 0;
  const gap = 24;
  const top = 28;
  const parts = [];
  for (const figure of figures) {
    const svg = figure.querySelector('svg');
    if (!svg) continue;
    const width = Number(svg.getAttribute('width'));
    const h = Number(svg.getAttribute('height'));
    const copy = svg.cloneNode(true);
    copy.removeAttribute('aria-hidden');
    copy.setAttribute('x', String(x));
    copy.setAttribute('y', String(top));
    copy.querySelectorAll('.cursor').forEach((c) => c.remove());
    copy.querySelectorAll('text').forEach((t) => {
      t.setAttribute('font-family', 'DejaVu Sans, Arial, sans-serif');
      if (t.classList.contains('cell-value')) {
        t.setAttribute('font-size', '10.5');
      } else {
        t.setAttribute('font-size', '12');
        t.setAttribute('fill', INK);
      }
    });
    copy.querySelectorAll('.hatch-bg').forEach((r) => r.setAttribute('fill', '#ecebe6'));
    copy.querySelectorAll('.hatch-line').forEach((l) => {
      l.setAttribute('stroke', '#9a978e');
      l.setAttribute('stroke-width', '2');
    });
    const title = document.createElementNS(SVG_NS, 'text');
    title.setAttribute('x', String(x + 4));
    title.setAttribute('y', '18');
    title.setAttribute('font-family', 'DejaVu Sans, Arial, sans-serif');
    title.setAttribute('font-size', '14');
    title.setAttribute('font-weight', '700');
    title.setAttribute('fill', INK);
    title.textContent = figure.querySelector('figcaption strong')?.textContent ?? '';
    parts.push(title, copy);
    x += width + gap;
    height = Math.max(height, h + top);
  }
  // The colour scale under the maps, as on the page: without it the colours have no values.
  for (const wrap of root.querySelectorAll('.heatmap-legend')) {
    const legend = legendCopy(wrap, height + 8);
    if (!legend) continue;
    parts.push(legend.group);
    x = Math.max(x, legend.width + gap);
    height += legend.height + 8;
  }
  const width = Math.max(1, x - gap);
  out.setAttribute('width', String(width));
  out.setAttribute('height', String(height));
  out.setAttribute('viewBox', `0 0 ${width} ${height}`);
  const background = document.createElementNS(SVG_NS, 'rect');
  background.setAttribute('width', '100%');
  background.setAttribute('height', '100%');
  background.setAttribute('fill', '#ffffff');
  out.append(background, ...parts);
  return { text: new XMLSerializer().serializeToString(out), width, height };
}

/**
 * A copy of a heatmap legend (its gradient bar and ticks, then its caption) at height `top`, for
 * the stand-alone SVG; null when it has no bar.
 */
function legendCopy(wrap, top) {
  const svg = wrap.querySelector('svg');
  if (!svg) return null;
  const barWidth = Number(svg.getAttribute('width'));
  const barHeight = Number(svg.getAttribute('height'));
  const group = document.createElementNS(SVG_NS, 'g');
  group.setAttribute('data-testid', 'export-legend');
  const bar = svg.cloneNode(true);
  bar.removeAttribute('role');
  bar.setAttribute('x', '0');
  bar.setAttribute('y', String(top));
  bar.querySelectorAll('text').forEach((t) => {
    t.setAttribute('font-family', 'DejaVu Sans, Arial, sans-serif');
    t.setAttribute('font-size', '11');
    t.setAttribute('fill', INK);
  });
  const caption = document.createElementNS(SVG_NS, 'text');
  const text = wrap.querySelector('.legend-caption')?.textContent ?? '';
  caption.setAttribute('x', '8');
  caption.setAttribute('y', String(top + barHeight + 14));
  caption.setAttribute('font-family', 'DejaVu Sans, Arial, sans-serif');
  caption.setAttribute('font-size', '12');
  caption.setAttribute('fill', INK);
  caption.textContent = text;
  group.append(bar, caption);
  // About 6.5 px a character at 12 px: enough room that the caption is never cut off.
  return { group, width: Math.max(barWidth, 16 + text.length * 6.5), height: barHeight + 20 };
}

/** The heatmaps as a PNG at twice their size on screen. */
export function heatmapsPng(root) {
  const { text, width, height } = heatmapsSvg(root);
  return new Promise((resolve, reject) => {
    const image = new Image();
    const url = URL.createObjectURL(new Blob([text], { type: 'image/svg+xml' }));
    image.onload = () => {
      const canvas = document.createElement('canvas');
      canvas.width = width * 2;
      canvas.height = height * 2;
      const context = canvas.getContext('2d');
      context.scale(2, 2);
      context.drawImage(image, 0, 0);
      URL.revokeObjectURL(url);
      canvas.toBlob((blob) => (blob ? resolve(blob) : reject(new Error('no PNG'))), 'image/png');
    };
    image.onerror = () => {
      URL.revokeObjectURL(url);
      reject(new Error('the heatmap SVG did not load as an image'));
    };
    image.src = url;
  });
}

async function notebook(root, request) {
  const response = await fetch(NOTEBOOK_ENDPOINT, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify(request),
  });
  if (!response.ok) {
    let message = `the server answered ${response.status}`;
    try {
      message = (await response.json()).error ?? message;
    } catch {
      // Keep the status line.
    }
    throw new Error(message);
  }
  return response.blob();
}

const ACTIONS = [
  { id: 'link', label: 'Copy link' },
  { id: 'svg', label: 'Heatmaps SVG' },
  { id: 'png', label: 'Heatmaps PNG' },
  { id: 'csv', label: 'Weights CSV' },
  { id: 'output-csv', label: 'Output CSV' },
  { id: 'json', label: 'Result JSON' },
  { id: 'trace', label: 'Trace Markdown' },
  { id: 'notebook', label: 'Open as notebook' },
];

async function act(root, id, say) {
  const { answer, request } = root.lastResult;
  const stem = fileStem(root);
  switch (id) {
    case 'link':
      try {
        await navigator.clipboard.writeText(globalThis.location.href);
        say('Link copied: it reproduces this experiment.');
      } catch {
        say(`Copy this link: ${globalThis.location.href}`);
      }
      break;
    case 'svg':
      download(new Blob([heatmapsSvg(root).text], { type: 'image/svg+xml' }), `${stem}.svg`);
      break;
    case 'png':
      download(await heatmapsPng(root), `${stem}.png`);
      break;
    case 'csv':
      download(new Blob([attentionCsv(answer)], { type: 'text/csv' }), `${stem}-attention.csv`);
      break;
    case 'output-csv':
      download(new Blob([outputCsv(answer)], { type: 'text/csv' }), `${stem}-output.csv`);
      break;
    case 'json':
      download(new Blob([JSON.stringify({ request, ...answer }, null, 1)],
        { type: 'application/json' }), `${stem}.json`);
      break;
    case 'trace':
      download(new Blob([traceMarkdown(answer, request)], { type: 'text/markdown' }),
        `${stem}-trace.md`);
      break;
    case 'notebook':
      say('Writing the notebook on the server…');
      download(await notebook(root, request), `${stem}.ipynb`);
      say('Notebook saved: open it in Jupyter; its last cell checks the numbers.');
      break;
    default:
      break;
  }
}

function toolbar(root) {
  let bar = root.querySelector('.export-bar');
  if (bar) return bar;
  bar = document.createElement('div');
  bar.className = 'export-bar';
  bar.dataset.testid = 'export-bar';
  bar.setAttribute('role', 'group');
  bar.setAttribute('aria-label', 'Export this result');
  const label = document.createElement('span');
  label.className = 'export-label';
  label.setAttribute('aria-hidden', 'true');
  label.textContent = 'Export:';
  bar.append(label);
  const message = document.createElement('p');
  message.className = 'export-note';
  message.dataset.testid = 'export-note';
  message.setAttribute('role', 'status');
  const say = (text) => { message.textContent = text; };
  for (const action of ACTIONS) {
    const button = document.createElement('button');
    button.type = 'button';
    button.dataset.export = action.id;
    button.dataset.testid = `export-${action.id}`;
    button.textContent = action.label;
    button.addEventListener('click', () => {
      if (!root.lastResult) return;
      say('');
      act(root, action.id, say).catch((e) => say(`Export failed: ${e.message}`));
    });
    bar.append(button);
  }
  root.querySelector('.experiment-output').after(bar, message);
  return bar;
}

/** Adds the toolbar to each experiment once it has a result, and keeps the result for it. */
export function attachExports(doc) {
  doc.addEventListener('experiment:result', (event) => {
    const root = event.target;
    root.lastResult = event.detail;
    const bar = toolbar(root);
    bar.querySelector('[data-export="csv"]').disabled = !event.detail.answer.attention;
    bar.querySelector('[data-export="output-csv"]').disabled = !event.detail.answer.output;
  });
}
