// A line chart of one or more series over a shared x axis (log scale when asked), drawn with d3
// as SVG, followed by a table of every plotted value so the numbers can be read exactly.

const d3 = globalThis.d3;
const WIDTH = 560;
const HEIGHT = 300;
const MARGIN = { top: 16, right: 16, bottom: 44, left: 64 };
const COLOURS = ['#0072b2', '#d55e00', '#009e73', '#cc79a7'];

/**
 * @param {HTMLElement} container emptied and refilled
 * @param {{title: string, x: number[], xLabel: string, yLabel: string, logX?: boolean,
 *          logY?: boolean, series: {name: string, values: (number|null)[]}[],
 *          format?: (v: number) => string, marker?: {x: number, label: string} | null}} chart
 */
export function renderLineChart(container, chart) {
  container.replaceChildren();
  const format = chart.format ?? ((v) => v.toPrecision(3));
  const all = chart.series.flatMap((s) => s.values).filter((v) => v != null && v > 0);
  const x = (chart.logX ? d3.scaleLog() : d3.scaleLinear())
    .domain(d3.extent(chart.x.filter((v) => !chart.logX || v > 0)))
    .range([MARGIN.left, WIDTH - MARGIN.right]);
  const y = (chart.logY ? d3.scaleLog() : d3.scaleLinear())
    .domain(chart.logY ? d3.extent(all) : [0, d3.max(all) ?? 1]).nice()
    .range([HEIGHT - MARGIN.bottom, MARGIN.top]);

  // The y axis's tick labels (10 px, about 6 px a character) must clear the rotated y label.
  const yFormat = y.tickFormat(6, chart.logY ? '~g' : undefined);
  const longestTick = Math.max(0, ...y.ticks(6).map((t) => yFormat(t).length));
  const left = Math.max(MARGIN.left, 36 + longestTick * 6.2);
  x.range([left, WIDTH - MARGIN.right]);

  const svg = d3.create('svg').attr('viewBox', `0 0 ${WIDTH} ${HEIGHT}`).attr('width', '100%')
    .attr('class', 'line-chart').attr('role', 'img').attr('aria-label', chart.title);
  svg.append('g').attr('transform', `translate(0,${HEIGHT - MARGIN.bottom})`)
    .call(d3.axisBottom(x).ticks(6, chart.logX ? '~s' : undefined));
  svg.append('g').attr('transform', `translate(${left},0)`)
    .call(d3.axisLeft(y).ticks(6, chart.logY ? '~g' : undefined));
  svg.append('text').attr('x', (WIDTH + left) / 2).attr('y', HEIGHT - 8)
    .attr('text-anchor', 'middle').text(chart.xLabel);
  svg.append('text').attr('transform', 'rotate(-90)').attr('x', -(HEIGHT - MARGIN.bottom) / 2)
    .attr('y', 16).attr('text-anchor', 'middle').text(chart.yLabel);

  chart.series.forEach((s, i) => {
    const points = chart.x.map((xv, k) => [xv, s.values[k]])
      .filter(([xv, v]) => v != null && (!chart.logY || v > 0) && (!chart.logX || xv > 0));
    const colour = COLOURS[i % COLOURS.length];
    svg.append('path').datum(points).attr('fill', 'none').attr('stroke', colour)
      .attr('stroke-width', 2).attr('d', d3.line().x((p) => x(p[0])).y((p) => y(p[1])));
    svg.append('g').selectAll('circle').data(points).join('circle')
      .attr('cx', (p) => x(p[0])).attr('cy', (p) => y(p[1])).attr('r', 3).attr('fill', colour);
  });
  if (chart.marker) {
    // The label goes on the side of the line with room for it, never past the chart's edge.
    const at = x(chart.marker.x);
    const right = at < (left + WIDTH - MARGIN.right) / 2;
    svg.append('line').attr('x1', at).attr('x2', at)
      .attr('y1', MARGIN.top).attr('y2', HEIGHT - MARGIN.bottom)
      .attr('stroke', '#555').attr('stroke-dasharray', '4 3');
    svg.append('text').attr('class', 'chart-marker').attr('x', right ? at + 4 : at - 4)
      .attr('y', MARGIN.top + 10).attr('text-anchor', right ? 'start' : 'end')
      .text(chart.marker.label);
  }

  const figure = document.createElement('figure');
  figure.className = 'chart';
  figure.append(svg.node(), legend(chart.series));
  const caption = document.createElement('figcaption');
  caption.textContent = chart.title;
  figure.append(caption);
  const scroll = document.createElement('div');
  scroll.className = 'table-scroll';
  scroll.append(valueTable(chart, format));
  container.append(figure, scroll);
}

/**
 * The series' names beside their colours, as HTML under the plot: in the plot's corner they
 * covered the lines (which end there on a growing curve) and the marker's label.
 */
function legend(series) {
  const list = document.createElement('ul');
  list.className = 'chart-legend';
  series.forEach((s, i) => {
    const item = document.createElement('li');
    const swatch = document.createElement('span');
    swatch.className = 'chart-swatch';
    swatch.style.backgroundColor = COLOURS[i % COLOURS.length];
    item.append(swatch, s.name);
    list.append(item);
  });
  return list;
}

function valueTable(chart, format) {
  const table = document.createElement('table');
  table.className = 'chart-values';
  table.dataset.testid = 'chart-values';
  const head = table.createTHead().insertRow();
  for (const name of [chart.xLabel, ...chart.series.map((s) => s.name)]) {
    const th = document.createElement('th');
    th.scope = 'col';
    th.textContent = name;
    head.append(th);
  }
  const body = table.createTBody();
  chart.x.forEach((xv, k) => {
    const row = body.insertRow();
    row.insertCell().textContent = String(xv);
    for (const s of chart.series) {
      row.insertCell().textContent = s.values[k] == null ? '–' : format(s.values[k]);
    }
  });
  return table;
}
