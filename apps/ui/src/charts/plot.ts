/**
 * The uPlot controller behind every metric chart: creates the plot, draws the min/max bands and faint raw lines
 * under the series, keeps colours in step with the theme, and reports cursor, drag-zoom and double-click. The chart
 * element owns fetching and the legend; the bench drives this directly.
 */
import type uPlot from "uplot";
import { cssVar } from "../theme.js";
import { formatSeconds, formatTick } from "./axis-format.js";
import { columnPath, type PixelColumns } from "./column-path.js";
import type { ChartSettings } from "./settings.js";
import { extent, lowerBound, type PlotModel, withAlpha } from "./transform.js";

type Cell = number | null;

export interface PlotOptions {
  width: number;
  height: number;
  x: ChartSettings["x"];
  log: boolean;
  colors: string[];
  names: string[];
  /** Draw the min/max bands (default true). */
  bands?: boolean;
  /** uPlot cursor-sync key shared by the charts of a page. */
  syncKey: string;
  onCursor?: (idx: number | null) => void;
  /** The user dragged over [min, max] on the x axis. */
  onSelect?: (min: number, max: number) => void;
  /** The user double-clicked the plot. */
  onReset?: () => void;
}

/** Theme colours for canvas drawing, refreshed on `tl-theme-change`. */
const theme = { muted: "#5d6778", grid: "#e8eaef", bg: "#ffffff", dark: false };

export function refreshChartTheme() {
  theme.muted = cssVar("--tl-muted") || theme.muted;
  theme.grid = cssVar("--tl-grid") || theme.grid;
  theme.bg = cssVar("--tl-bg") || theme.bg;
  theme.dark = document.documentElement.dataset.theme === "dark";
}

/** Tick spacings for a relative-time axis, in seconds: round minutes and hours rather than 200 s. */
const DURATION_INCRS = [
  ...[1, 2, 5, 10, 15, 30],
  ...[1, 2, 5, 10, 15, 30].map((m) => m * 60),
  ...[1, 2, 3, 6, 12].map((h) => h * 3600),
  ...[1, 2, 7, 14, 28].map((d) => d * 86400),
];

/** Steps are whole numbers: ticks 1, 2 or 5 times a power of ten apart, never fractions. */
const STEP_INCRS = Array.from({ length: 30 }, (_, i) => ([1, 2, 5][i % 3] as number) * 10 ** Math.floor(i / 3));

/**
 * Up to this many runs every run gets its min/max band (and, when smoothing, its faint raw line); beyond it only the
 * highlighted run does — a hundred overlapping bands are noise, and cost more to draw than the lines.
 */
export const BAND_RUNS = 20;

/** Half the width of the widest wall-time tick label uPlot writes (`12:59:59pm` in FONT), plus a margin. */
const TIME_LABEL_HALF = 36;

const FONT = "11px system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif";

export class Plot {
  readonly u: uPlot;
  private model: PlotModel;
  private focused: number | null = null;
  /**
   * The x window being shown (null: all data). uPlot ranges y before it stores the new x scale, so the y range
   * function reads the window from here; every x change goes through `setX`.
   */
  private xWindow: XRange | null = null;
  private columnCache: Columns | undefined;
  /** The plot as uPlot last drew it, while a run is highlighted (many runs only; see setFocus). */
  private snapshot: HTMLCanvasElement | null = null;
  private snapCanvas: HTMLCanvasElement | undefined;
  private extentCache: { model: PlotModel; i0: number; i1: number; e: [number, number] | undefined } | undefined;

  constructor(
    uPlotCtor: typeof uPlot,
    target: HTMLElement,
    model: PlotModel,
    private readonly opts: PlotOptions,
  ) {
    refreshChartTheme();
    this.model = model;
    this.u = new uPlotCtor(this.options(uPlotCtor), this.data(model), target);
    this.u.over.addEventListener("dblclick", () => opts.onReset?.());
  }

  private data(m: PlotModel): uPlot.AlignedData {
    return [m.x, ...m.lines] as uPlot.AlignedData;
  }

  private options(U: typeof uPlot): uPlot.Options {
    const { opts } = this;
    const many = opts.colors.length > 20;
    const axis = (values: uPlot.Axis["values"]): uPlot.Axis => ({
      stroke: () => theme.muted,
      font: FONT,
      grid: { stroke: () => theme.grid, width: 1 },
      ticks: { stroke: () => theme.grid, width: 1, size: 4 },
      border: { show: false },
      values,
    });
    const numeric = (_u: uPlot, splits: number[], _i: number, _space: number, incr: number) =>
      splits.map((v) => (v === null ? "" : formatTick(v, incr)));
    // Log axes: each label at its own precision (the increment means nothing there).
    const logValues = (_u: uPlot, splits: number[]) => splits.map((v) => (v === null ? "" : formatTick(v)));
    const xValues: uPlot.Axis["values"] =
      opts.x === "time" ? undefined : opts.x === "relative" ? (_u, s) => s.map(formatSeconds) : numeric;
    const x: uPlot.Axis = { ...axis(xValues), size: opts.x === "time" ? 44 : 30 };
    if (opts.x === "relative") x.incrs = DURATION_INCRS;
    if (opts.x === "step") x.incrs = STEP_INCRS;
    // Points only where lines alone would hide them: few points in all.
    const few = this.model.x.length * Math.max(1, opts.colors.length) <= 300;
    return {
      width: opts.width,
      height: opts.height,
      legend: { show: false },
      focus: { alpha: 0.25 },
      // A tick label is centred on its tick: the right padding holds half of the last one ("12:59:59pm" on a time axis).
      padding: [8, opts.x === "time" ? TIME_LABEL_HALF : 16, 0, 0],
      cursor: {
        sync: {
          key: opts.syncKey,
          setSeries: false,
          // Only the hover is shared; each chart handles its own drags and double-clicks (the group zooms them all).
          filters: { pub: (type) => type === "mousemove" || type === "mouseleave" || type === "mouseenter" },
        },
        drag: { x: true, y: false, setScale: false },
        bind: { dblclick: () => null },
        points: { show: !many, size: 6 },
        focus: { prox: -1 },
      },
      scales: {
        x: {
          time: opts.x === "time",
          // One x value (a metric logged once): centre it rather than leave it at the edge of uPlot's default range.
          range: (_u, min, max) => {
            const x = this.model.x;
            const pad = opts.x === "step" ? 1 : 60;
            return x.length > 0 && x[0] === x[x.length - 1]
              ? [(x[0] as number) - pad, (x[0] as number) + pad]
              : [min, max];
          },
        },
        y: {
          distr: opts.log ? 3 : 1,
          log: 10,
          range: () => this.yRange(U),
        },
      },
      axes: [x, { ...axis(opts.log ? logValues : numeric), size: 48 }],
      series: [
        {},
        ...opts.colors.map((color, i) => ({
          label: opts.names[i] ?? "",
          stroke: color,
          // Hairlines rasterise several times faster than wider strokes: thin lines when there are many.
          width: opts.colors.length <= 10 ? 1.5 : 1,
          spanGaps: true,
          paths: (u: uPlot, sidx: number) => this.linePath(u, sidx - 1),
          points: { show: few, size: 5, fill: color },
        })),
      ],
      hooks: {
        drawAxes: [(u) => this.drawUnder(u)],
        draw: [(u) => this.afterDraw(u)],
        setCursor: [(u) => opts.onCursor?.((u.cursor.left ?? -1) < 0 ? null : (u.cursor.idx ?? null))],
        setSelect: [
          (u) => {
            const { left, width } = u.select;
            if (width > 2) opts.onSelect?.(u.posToVal(left, "x"), u.posToVal(left + width, "x"));
            u.setSelect({ left: 0, top: 0, width: 0, height: 0 }, false);
          },
        ],
      },
    };
  }

  /** The y range of what is visible between the x scale's min and max, bands included, padded. */
  private yRange(U: typeof uPlot): uPlot.Range.MinMax {
    const m = this.model;
    const w = this.xWindow;
    const i0 = w ? Math.max(0, lowerBound(m.x, w.min) - 1) : 0;
    const i1 = w ? lowerBound(m.x, w.max) : m.x.length - 1;
    // uPlot asks more than once per redraw; the scan covers every run's line, band and raw values.
    const c = this.extentCache;
    const e =
      c && c.model === m && c.i0 === i0 && c.i1 === i1
        ? c.e
        : extent([...m.lines, ...m.min, ...m.max, ...(m.raw ?? [])], i0, i1, this.opts.log);
    this.extentCache = { model: m, i0, i1, e };
    if (!e) return this.opts.log ? [1, 10] : [0, 1];
    return this.opts.log ? U.rangeLog(e[0], e[1], 10, false) : U.rangeNum(e[0], e[1], 0.08, true);
  }

  /**
   * The visible cells [i0, i1] and each one's canvas pixel column, computed once per draw and shared by every run's
   * line, band and raw line (uPlot asks for the paths series by series).
   */
  private columns(u: uPlot): Columns {
    const m = this.model;
    const { left, width } = u.bbox;
    const xmin = u.scales.x?.min ?? 0;
    const xmax = u.scales.x?.max ?? 1;
    const c = this.columnCache;
    if (c && c.model === m && c.xmin === xmin && c.xmax === xmax && c.left === left && c.width === width) return c;
    const span = xmax - xmin || 1;
    const i0 = Math.max(0, lowerBound(m.x, xmin) - 1);
    const i1 = Math.min(m.x.length - 1, lowerBound(m.x, xmax));
    const xs = new Float64Array(Math.max(0, i1 - i0 + 1));
    for (let i = i0; i <= i1; i++) xs[i - i0] = Math.round(left + (((m.x[i] as number) - xmin) / span) * width);
    this.columnCache = { model: m, xmin, xmax, left, width, i0, xs };
    return this.columnCache;
  }

  /** Canvas y of a value on the current y scale (linear inline: it runs for every vertex of every line). */
  private yPixel(u: uPlot): (v: number) => number {
    if (this.opts.log) return (v) => u.valToPos(v, "y", true);
    const { top, height } = u.bbox;
    const min = u.scales.y?.min ?? 0;
    const max = u.scales.y?.max ?? 1;
    const k = height / (max - min || 1);
    const bottom = top + height;
    return (v) => bottom - (v - min) * k;
  }

  /** uPlot's path builder for run r's line: at most four vertices per pixel column (see columnPath). */
  private linePath(u: uPlot, r: number) {
    const m = this.model;
    const line = m.lines[r] ?? [];
    // The line is the raw values without smoothing: then it reaches each cell's lowest and highest value.
    const spread = m.raw ? undefined : { low: m.low?.[r], high: m.high?.[r] };
    const stroke = columnPath(this.columns(u), line, spread?.low, spread?.high, this.yPixel(u), new Path2D());
    return { stroke, fill: null, clip: null, band: null, gaps: null, flags: 0 } as unknown as uPlot.Series.Paths;
  }

  /** Bands and raw lines go under the series: drawn after the grid, before uPlot strokes the lines. */
  private drawUnder(u: uPlot) {
    const m = this.model;
    const n = m.lines.length;
    if (!n || !m.x.length) return;
    const ctx = u.ctx;
    const { left, top, width, height } = u.bbox;
    const cols = this.columns(u);
    const bandAlpha = (theme.dark ? 0.2 : 0.14) * Math.min(1, Math.sqrt(8 / Math.min(n, BAND_RUNS)));
    ctx.save();
    ctx.beginPath();
    ctx.rect(left, top, width, height);
    ctx.clip();
    // With many runs the highlighted run is painted over the finished plot (paintFocus), not in it.
    const focused = this.many ? null : this.focused;
    for (let r = 0; r < n; r++) {
      if (u.series[r + 1]?.show === false) continue;
      const dim = focused !== null && focused !== r ? 0.25 : 1;
      const color = this.opts.colors[r] ?? "#888";
      // Past BAND_RUNS runs, a band per run is mud (and costs more than the lines): only the highlighted run keeps one.
      if (this.opts.bands !== false && (n <= BAND_RUNS || focused === r)) {
        ctx.fillStyle = withAlpha(color, bandAlpha * dim);
        this.fillBand(u, ctx, cols, m.min[r] ?? [], m.max[r] ?? []);
      }
      // Likewise the faint raw lines under smoothed ones.
      const raw = n <= BAND_RUNS || focused === r ? m.raw?.[r] : undefined;
      if (raw) {
        const path = columnPath(cols, raw, m.low?.[r], m.high?.[r], this.yPixel(u), new Path2D());
        ctx.strokeStyle = withAlpha(color, 0.3 * dim);
        ctx.lineWidth = 1;
        ctx.stroke(path);
      }
    }
    ctx.restore();
  }

  /**
   * The min/max band of one run: per canvas pixel column a 1 px wide rectangle from the lowest min to the highest max,
   * on whole pixels. Axis-aligned pixel rectangles are the cheapest thing a software rasteriser draws (a filled
   * polygon of the same shape costs several times more). Columns where the band is thinner than the line are skipped.
   */
  private fillBand(u: uPlot, ctx: CanvasRenderingContext2D, cols: Columns, lo: Cell[], hi: Cell[]) {
    const { xs, i0 } = cols;
    let col = Number.NaN;
    let cHi = 0;
    let cLo = 0;
    const flush = () => {
      if (Number.isNaN(col) || cHi === cLo) return;
      const top = Math.round(u.valToPos(cHi, "y", true));
      const bottom = Math.round(u.valToPos(cLo, "y", true));
      if (bottom - top >= 2) ctx.fillRect(col, top, 1, bottom - top);
    };
    for (let k = 0; k < xs.length; k++) {
      const a = lo[i0 + k];
      const b = hi[i0 + k];
      if (a === null || a === undefined || b === null || b === undefined) continue;
      const px = xs[k] as number;
      if (px !== col) {
        flush();
        col = px;
        cHi = b;
        cLo = a;
      } else {
        if (b > cHi) cHi = b;
        if (a < cLo) cLo = a;
      }
    }
    flush();
  }

  /** New data for the same runs, shown over the x window `win` (null: all of it). */
  setModel(model: PlotModel, win: XRange | null) {
    this.model = model;
    this.xWindow = win;
    this.u.setData(this.data(model), win === null);
    if (win) this.u.setScale("x", win);
  }

  /** Shows the x window `win`, or all data for null. */
  setX(win: XRange | null) {
    this.xWindow = win;
    const x = this.model.x;
    if (win) this.u.setScale("x", win);
    else if (x.length) this.u.setScale("x", { min: x[0] as number, max: x[x.length - 1] as number });
  }

  setSize(width: number, height: number) {
    this.u.setSize({ width, height });
  }

  /**
   * Highlights run r (others dimmed), or none. Up to BAND_RUNS runs uPlot redraws every line at its alpha; past that
   * (a thousand runs: a thousand lines re-stroked per legend hover) the plot as drawn is kept as a bitmap, and a
   * highlight is that bitmap under a veil with the one run drawn on top: the cost of one line, not of all.
   */
  setFocus(r: number | null) {
    this.focused = r;
    if (!this.many) {
      this.u.setSeries(r === null ? null : r + 1, { focus: r !== null });
      this.u.redraw(false);
      return;
    }
    if (this.snapshot) this.restoreSnapshot();
    else if (r !== null) this.takeSnapshot();
    if (r !== null) this.paintFocus(this.u, r);
  }

  private get many(): boolean {
    return this.opts.colors.length > BAND_RUNS;
  }

  /** After each uPlot draw: the old bitmap is stale; a highlight still on is painted again over the new plot. */
  private afterDraw(u: uPlot) {
    this.snapshot = null;
    if (this.many && this.focused !== null) {
      this.takeSnapshot();
      this.paintFocus(u, this.focused);
    }
  }

  private takeSnapshot() {
    const src = this.u.ctx.canvas;
    this.snapCanvas ??= document.createElement("canvas");
    const snap = this.snapCanvas;
    snap.width = src.width;
    snap.height = src.height;
    snap.getContext("2d")?.drawImage(src, 0, 0);
    this.snapshot = snap;
  }

  private restoreSnapshot() {
    const ctx = this.u.ctx;
    if (!this.snapshot) return;
    ctx.save();
    ctx.setTransform(1, 0, 0, 1, 0, 0);
    ctx.clearRect(0, 0, ctx.canvas.width, ctx.canvas.height);
    ctx.drawImage(this.snapshot, 0, 0);
    ctx.restore();
  }

  /** Run r over a veil of the background (the others at a quarter of their contrast): its band, raw line and line. */
  private paintFocus(u: uPlot, r: number) {
    const m = this.model;
    const ctx = u.ctx;
    const { left, top, width, height } = u.bbox;
    const color = this.opts.colors[r] ?? "#888";
    const cols = this.columns(u);
    const y = this.yPixel(u);
    ctx.save();
    ctx.beginPath();
    ctx.rect(left, top, width, height);
    ctx.clip();
    ctx.fillStyle = theme.bg;
    ctx.globalAlpha = 0.75;
    ctx.fillRect(left, top, width, height);
    ctx.globalAlpha = 1;
    if (this.opts.bands !== false) {
      ctx.fillStyle = withAlpha(color, theme.dark ? 0.2 : 0.14);
      this.fillBand(u, ctx, cols, m.min[r] ?? [], m.max[r] ?? []);
    }
    const lineWidth = Math.max(1, Math.round(devicePixelRatio));
    // Odd widths centred on whole pixels, as uPlot draws its lines.
    const offset = (lineWidth % 2) / 2;
    ctx.translate(offset, offset);
    ctx.lineWidth = lineWidth;
    const raw = m.raw?.[r];
    if (raw) {
      ctx.strokeStyle = withAlpha(color, 0.3);
      ctx.stroke(columnPath(cols, raw, m.low?.[r], m.high?.[r], y, new Path2D()));
    }
    ctx.strokeStyle = color;
    ctx.stroke(this.linePath(u, r).stroke as Path2D);
    ctx.restore();
  }

  /** Repaints with the current theme (no new data). */
  repaint() {
    refreshChartTheme();
    this.u.redraw(false);
  }

  destroy() {
    this.u.destroy();
  }
}

type XRange = { min: number; max: number };

/** The visible cells of a model and their canvas pixel columns (`xs[k]` is cell `i0 + k`). */
interface Columns extends PixelColumns {
  model: PlotModel;
  xmin: number;
  xmax: number;
  left: number;
  width: number;
}
