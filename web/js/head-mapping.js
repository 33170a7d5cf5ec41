// Which key/value head each query head reads in grouped-query attention: one box per query
// head, coloured and labelled by its key/value head, grouped under that head.

/**
 * @param {HTMLElement} container emptied and refilled
 * @param {{mapping: number[], kvHeads: number}} data mapping[i] = key/value head of query head i
 */
export function renderHeadMapping(container, data) {
  container.replaceChildren();
  const list = document.createElement('ol');
  list.className = 'head-mapping';
  list.dataset.testid = 'head-mapping';
  for (let g = 0; g < data.kvHeads; g++) {
    const group = document.createElement('li');
    group.className = 'kv-group';
    group.dataset.kvHead = String(g);
    const label = document.createElement('span');
    label.className = 'kv-head';
    label.textContent = `K, V head ${g + 1}`;
    const heads = document.createElement('ul');
    data.mapping.forEach((kv, i) => {
      if (kv !== g) return;
      const item = document.createElement('li');
      item.className = 'query-head';
      item.textContent = `Q head ${i + 1}`;
      heads.append(item);
    });
    group.append(label, heads);
    list.append(group);
  }
  container.append(list);
}
