// The sparse pattern as a grid: one row per query, one column per key, a filled cell where the
// query may see the key. The server sends the mask as text rows ('x' allowed, '.' not).

/**
 * @param {HTMLElement} container emptied and refilled
 * @param {{mask: string[] | null, tokens: string[] | null}} data
 */
export function renderSparseMask(container, data) {
  container.replaceChildren();
  if (!data.mask) {
    const p = document.createElement('p');
    p.textContent = 'The mask is too large to draw here; the counts below describe it.';
    container.append(p);
    return;
  }
  const tokens = data.tokens ?? data.mask.map((_, i) => String(i));
  const table = document.createElement('table');
  table.className = 'sparse-mask';
  table.dataset.testid = 'sparse-mask';
  const caption = table.createCaption();
  caption.textContent = 'Which keys (columns) each query (row) may see: filled = scored.';
  const head = table.createTHead().insertRow();
  head.append(document.createElement('th'));
  tokens.forEach((t, j) => {
    const th = document.createElement('th');
    th.scope = 'col';
    th.textContent = `${j} ${t}`;
    head.append(th);
  });
  const body = table.createTBody();
  data.mask.forEach((rowText, i) => {
    const row = body.insertRow();
    const th = document.createElement('th');
    th.scope = 'row';
    th.textContent = `${i} ${tokens[i]}`;
    row.append(th);
    for (let j = 0; j < rowText.length; j++) {
      const cell = row.insertCell();
      const allowed = rowText[j] === 'x';
      cell.className = allowed ? 'allowed' : 'skipped';
      cell.textContent = allowed ? '■' : '';
      cell.setAttribute('aria-label', allowed ? 'scored' : 'skipped');
    }
  });
  const scroll = document.createElement('div');
  scroll.className = 'table-scroll';
  scroll.append(table);
  container.append(scroll);
}
