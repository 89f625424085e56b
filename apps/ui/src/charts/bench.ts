/**
 * The chart draw benchmark, callable in the browser: `await window.__tlChartBench({ runs: 100, points: 2500 })`
 * (installed by the embed chart page when its URL has `bench=1`). Synthetic data, every point handed to the chart
 * (as if a whole history arrived); times alignment and decimation, smoothing and the uPlot draw (bands, lines, axes)
 * of one chart, the time to the next painted frame, and then the interactions that redraw: highlighting a run (a
 * legend hover) and moving the cursor.
 */
import { Plot } from "./plot.js";
import { alignRuns, cellsForWidth, plotModel, type RunPoints, xValues } from "./transform.js";
import { loadUplot } from "./uplot-loader.js";

export interface BenchOptions {
  runs?: number;
  points?: number;
  width?: number;
  height?: number;
  smoothing?: number;
  /** "step": runs share steps; "time": every run has its own timestamps (the alignment worst case). */
  x?: "step" | "time";
  repeat?: number;
  /** Draw the min/max bands (default true). */
  bands?: boolean;
  /** Leave the last chart on the page (to look at it). */
  keep?: boolean;
  /** Time highlighting runs and moving the cursor on the last chart (default true). */
  interact?: boolean;
}

export interface BenchResult {
  /** Median milliseconds over `repeat` runs. */
  prepareMs: number;
  drawMs: number;
  totalMs: number;
  toFrameMs: number;
  samples: { prepareMs: number; drawMs: number; toFrameMs: number }[];
  alignedPoints: number;
  /** Points handed to the chart in all. */
  inputPoints: number;
  /** Median: highlight one run (others dimmed) until the canvas is rasterised; then back to none. */
  focusMs?: number;
  /** Median: a mousemove over the plot until the next frame. */
  hoverMs?: number;
}

function synthetic(runs: number, points: number): RunPoints[] {
  const out: RunPoints[] = [];
  let seed = 42;
  const rnd = () => {
    seed = (seed * 1103515245 + 12345) >>> 0;
    return seed / 2 ** 32;
  };
  for (let r = 0; r < runs; r++) {
    const p: RunPoints = { step: [], time: [], value: [], min: [], max: [] };
    const t0 = 1.7e12 + r * 997;
    for (let i = 0; i < points; i++) {
      const v = 2 * Math.exp(-i / (300 + r * 7)) + 0.05 * rnd() + r * 0.002;
      p.step.push(i * 4);
      p.time.push(t0 + i * 1000 + Math.floor(rnd() * 300));
      p.value.push(v);
      p.min.push(v - 0.05 * rnd());
      p.max.push(v + (rnd() < 0.01 ? 1 : 0.05 * rnd()));
    }
    out.push(p);
  }
  return out;
}

const median = (a: number[]) => [...a].sort((x, y) => x - y)[Math.floor(a.length / 2)] ?? 0;

export async function benchChart(opts: BenchOptions = {}): Promise<BenchResult> {
  const { runs = 100, points = 2500, width = 900, height = 300, smoothing = 0.6, x = "step", repeat = 5 } = opts;
  const keep = opts.keep === true;
  const { uPlot } = await loadUplot();
  const data = synthetic(runs, points);
  const colors = data.map((_, i) => `hsl(${(i * 47) % 360} 65% 50%)`);
  const names = data.map((_, i) => `run ${i}`);
  const host = document.createElement("div");
  host.style.cssText = `position:absolute; left:0; top:0; width:${width}px; background:var(--tl-bg)`;
  document.body.append(host);
  const samples: BenchResult["samples"] = [];
  let alignedPoints = 0;
  let plot: Plot | undefined;
  const interactions: { focusMs?: number; hoverMs?: number } = {};
  try {
    for (let k = 0; k < repeat; k++) {
      plot?.destroy();
      const t0 = performance.now();
      const aligned = alignRuns(
        data,
        data.map((p) => xValues(p, x)),
        cellsForWidth(width),
      );
      const model = plotModel(aligned, smoothing, false);
      const t1 = performance.now();
      plot = new Plot(uPlot, host, model, {
        width,
        height,
        x,
        log: false,
        colors,
        names,
        syncKey: "bench",
        bands: opts.bands,
      });
      // uPlot commits its first draw in a microtask queued by the constructor; this one runs after it.
      await new Promise<void>((r) => queueMicrotask(r));
      // Reading a pixel makes the browser rasterise the canvas now (it defers drawing commands otherwise).
      plot.u.ctx.getImageData(0, 0, 1, 1);
      const t2 = performance.now();
      await new Promise((r) => requestAnimationFrame(r));
      const t3 = performance.now();
      alignedPoints = model.x.length;
      samples.push({ prepareMs: t1 - t0, drawMs: t2 - t1, toFrameMs: t3 - t0 });
    }
    if (plot && opts.interact !== false) Object.assign(interactions, await interact(plot, runs));
  } finally {
    if (!keep) {
      plot?.destroy();
      host.remove();
    }
  }
  const prepareMs = median(samples.map((s) => s.prepareMs));
  const drawMs = median(samples.map((s) => s.drawMs));
  return {
    prepareMs,
    drawMs,
    totalMs: median(samples.map((s) => s.prepareMs + s.drawMs)),
    toFrameMs: median(samples.map((s) => s.toFrameMs)),
    samples,
    alignedPoints,
    inputPoints: runs * points,
    ...interactions,
  };
}

/** Highlights five runs in turn and moves the cursor to five places: median times. */
async function interact(plot: Plot, runs: number): Promise<{ focusMs: number; hoverMs: number }> {
  const focus: number[] = [];
  for (let k = 0; k < 5; k++) {
    const t0 = performance.now();
    plot.setFocus(Math.floor(((k + 0.5) * runs) / 5));
    // uPlot commits in a microtask; then the read makes the browser rasterise.
    await new Promise<void>((r) => queueMicrotask(r));
    plot.u.ctx.getImageData(0, 0, 1, 1);
    focus.push(performance.now() - t0);
  }
  plot.setFocus(null);
  const hover: number[] = [];
  const box = plot.u.over.getBoundingClientRect();
  for (let k = 0; k < 5; k++) {
    const t0 = performance.now();
    plot.u.over.dispatchEvent(
      new MouseEvent("mousemove", {
        clientX: box.left + ((k + 0.5) * box.width) / 5,
        clientY: box.top + box.height / 2,
        bubbles: true,
      }),
    );
    await new Promise((r) => requestAnimationFrame(r));
    hover.push(performance.now() - t0);
  }
  return { focusMs: median(focus), hoverMs: median(hover) };
}
