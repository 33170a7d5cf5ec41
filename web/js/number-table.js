// A two-column table of named results (name, value), for the numbers an experiment reports.

/**
 * @param {HTMLElement} container emptied and refilled
 * @param {string} caption
 * @param {[string, string][]} rows
 */
export function renderNumberTable(container, caption, rows) {
  container.replaceChildren();
  const table = document.createElement('table');
  table.className = 'number-table';
  table.dataset.testid = 'numbers';
  table.createCaption().textContent = caption;
  const body = table.createTBody();
  for (const [name, value] of rows) {
    const row = body.insertRow();
    const th = document.createElement('th');
    th.scope = 'row';
    th.textContent = name;
    row.append(th);
    const td = row.insertCell();
    td.textContent = value;
    td.dataset.name = name;
  }
  const scroll = document.createElement('div');
  scroll.className = 'table-scroll';
  scroll.append(table);
  container.append(scroll);
}
