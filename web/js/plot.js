// Line plots with d3 for the sweeps of the chapter "Implementation". Series differ by colour
// (Okabe–Ito, colour-blind safe) and also by dash and marker shape, with a legend in words; the
// figure has a text summary for screen readers and a table of every point.

import { dataTable, el } from './multi-run.js';

const d3 = globalThis.d3;
const COLOURS = ['#0072B2', '#D55E00', '#009E73', '#CC79A7'];
const DASHES = [null, '6 4', '2 3', '8 3 2 3'];
const SYMBOLS = [d3.symbolCircle, d3.symbolSquare, d3.symbolTriangle, d3.symbolDiamond];

/**
 * @param {{title: string, xLabel: string, yLabel: string, logX?: boolean, logY?: boolean,
 *          series: {name: string, points: [number, number][]}[], format?: (y: number) => string,
 *          reference?: {name: string, y: number}, testid?: string, axisFormat?: string}} spec
 *   axisFormat is a d3-format specifier for the y ticks ('~s' by default: 1k, 2M)
 * @returns {HTMLElement} a figure
 */
export function linePlot(spec) {
  const { title, xLabel, yLabel, series, logX = false, logY = false } = spec;
  const format = spec.format ?? d3.format('.3~g');
  const width = 420;
  const height = 260;
  const m = { top: 12, right: 14, bottom: 44, left: 62 };
  const xs = series.flatMap((s) => s.points.map((p) => p[0]));
  const ys = series.flatMap((s) => s.points.map((p) => p[1]));
  if (spec.reference) ys.push(spec.reference.y);
  const x = (logX ? d3.scaleLog().base(2) : d3.scaleLinear())
    .domain(d3.extent(xs)).range([m.left, width - m.right]);
  const yDomain = logY ? d3.extent(ys.filter((v) => v > 0)) : [Math.min(0, d3.min(ys)), d3.max(ys)];
  const y = (logY ? d3.scaleLog() : d3.scaleLinear()).domain(yDomain).nice()
    .range([height - m.bottom, m.top]);

  const figure = el('figure', 'plot');
  if (spec.testid) figure.dataset.testid = spec.testid;
  const caption = el('figcaption');
  caption.append(el('strong', null, title));
  const summary = series.map((s) => {
    const firstPoint = s.points[0];
    const last = s.points[s.points.length - 1];
    return `${s.name}: ${format(firstPoint[1])} at ${xLabel} ${firstPoint[0]}, ${format(last[1])}`
      + ` at ${last[0]}`;
  }).join('; ');
  const svg = d3.create('svg').attr('viewBox', `0 0 ${width} ${height}`)
    .attr('role', 'img').attr('aria-label', `${title}. ${summary}.`);
  const xAxis = logX ? d3.axisBottom(x).tickValues(d3.sort(new Set(xs))).tickFormat(d3.format('d'))
    : d3.axisBottom(x).ticks(6);
  svg.append('g').attr('class', 'axis').attr('transform', `translate(0,${height - m.bottom})`)
    .call(xAxis);
  svg.append('g').attr('class', 'axis').attr('transform', `translate(${m.left},0)`)
    .call(d3.axisLeft(y).ticks(5, spec.axisFormat ?? '~s'));
  svg.append('text').attr('class', 'axis-label').attr('x', (m.left + width - m.right) / 2)
    .attr('y', height - 8).attr('text-anchor', 'middle').text(xLabel);
  svg.append('text').attr('class', 'axis-label').attr('transform', 'rotate(-90)')
    .attr('x', -(m.top + height - m.bottom) / 2).attr('y', 14).attr('text-anchor', 'middle')
    .text(yLabel);
  if (spec.reference) {
    svg.append('line').attr('class', 'reference').attr('x1', m.left).attr('x2', width - m.right)
      .attr('y1', y(spec.reference.y)).attr('y2', y(spec.reference.y));
  }
  series.forEach((s, k) => {
    const line = d3.line().x((p) => x(p[0])).y((p) => y(p[1]));
    svg.append('path').attr('class', 'series').attr('d', line(s.points))
      .attr('stroke', COLOURS[k % 4]).attr('stroke-dasharray', DASHES[k % 4]);
    const marker = d3.symbol().type(SYMBOLS[k % 4]).size(42);
    for (const p of s.points) {
      svg.append('path').attr('d', marker()).attr('fill', COLOURS[k % 4])
        .attr('transform', `translate(${x(p[0])},${y(p[1])})`);
    }
  });

  const legend = el('ul', 'plot-legend');
  series.forEach((s, k) => {
    const item = el('li');
    const key = d3.create('svg').attr('width', 34).attr('height', 12).attr('aria-hidden', 'true');
    key.append('line').attr('x1', 1).attr('x2', 33).attr('y1', 6).attr('y2', 6)
      .attr('stroke', COLOURS[k % 4]).attr('stroke-width', 2)
      .attr('stroke-dasharray', DASHES[k % 4]);
    key.append('path').attr('d', d3.symbol().type(SYMBOLS[k % 4]).size(42)())
      .attr('fill', COLOURS[k % 4]).attr('transform', 'translate(17,6)');
    item.append(key.node(), ` ${s.name}`);
    legend.append(item);
  });
  if (spec.reference) legend.append(el('li', 'reference-key', `grey line: ${spec.reference.name}`));

  const details = el('details', 'plot-data');
  details.append(el('summary', null, `${title}: the numbers`));
  const xsSorted = d3.sort(new Set(xs));
  details.append(dataTable({
    caption: title,
    columns: [xLabel, ...series.map((s) => s.name)],
    rows: xsSorted.map((xv) => ({
      cells: [String(xv), ...series.map((s) => {
        const p = s.points.find((q) => q[0] === xv);
        return p ? { text: format(p[1]), className: 'num', value: p[1] } : '—';
      })],
    })),
  }));
  figure.append(caption, svg.node(), legend, details);
  return figure;
}
