// A uPlot line chart that follows its container's width (operator dashboard, account page).
import { useEffect, useRef } from 'preact/hooks';
import uPlot from 'uplot';
import { html } from './ui.js';

const MUTED = '#9aa59e';
const GRID = '#26302a';

/** One uPlot chart that follows its container's width. */
export function Chart({ id, title, unit, xs, series, stepped = false }) {
  const box = useRef();
  const plot = useRef();
  useEffect(() => {
    const el = box.current;
    const opts = {
      width: Math.max(280, el.clientWidth),
      height: 220,
      legend: { show: true },
      cursor: { drag: { x: false, y: false } },
      scales: { x: { time: true } },
      axes: [
        { stroke: MUTED, grid: { stroke: GRID }, ticks: { stroke: GRID } },
        { stroke: MUTED, grid: { stroke: GRID }, ticks: { stroke: GRID }, size: 56,
          // counts (credits) step by whole numbers
          ...(stepped ? { incrs: [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000, 5000, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9] } : {}) },
      ],
      // a few minutes of history (a fresh stack) would be a speck as a line: mark sparse series' points
      series: [{}, ...series.map((s) => ({
        label: s.label, stroke: s.stroke, fill: s.fill, dash: s.dash, width: 2, spanGaps: false,
        ...(stepped ? { paths: uPlot.paths.stepped({ align: 1 }) } : {}),
        points: { show: s.data.filter((v) => v != null).length < 15, size: 7, fill: s.stroke },
      }))],
    };
    plot.current = new uPlot(opts, [xs, ...series.map((s) => s.data)], el);
    const ro = new ResizeObserver(() => plot.current.setSize({ width: Math.max(280, el.clientWidth), height: 220 }));
    ro.observe(el);
    return () => {
      ro.disconnect();
      plot.current.destroy();
    };
  }, [JSON.stringify(xs), JSON.stringify(series.map((s) => s.data))]);
  return html`<div class="card chart" data-chart=${id}><div class="row spread"><h3>${title}</h3><span class="muted small">${unit}</span></div>
    <div ref=${box} id=${id} class="chart-box" data-points=${xs.length}></div></div>`;
}
