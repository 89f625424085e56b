/**
 * Chart settings shared by every chart view (experiment Charts tab, compare page, run page, embed) and how they live
 * in the URL. No uPlot here: pages import this eagerly to read and write their query.
 */

/**
 * What the charts on a page show: the x axis, a log y axis, and EMA smoothing (0 = off, up to 0.99); then the user's
 * own chart board (`cb`: added charts, per-chart settings, order; JSON read by the lazy charts code in board.ts) and
 * the chart search (`cq`). Both are kept raw here so pages that only pass settings through stay small.
 */
export interface ChartSettings {
  x: "step" | "time" | "relative";
  log: boolean;
  smoothing: number;
  board?: string;
  search?: string;
}

export const DEFAULT_CHART_SETTINGS: ChartSettings = Object.freeze({ x: "step", log: false, smoothing: 0 });

const X_VALUES = ["step", "time", "relative"] as const;

/** Clamps smoothing into 0..0.99 with two decimals; anything unreadable is 0. */
export function clampSmoothing(v: number): number {
  if (!Number.isFinite(v) || v <= 0) return 0;
  return Math.min(0.99, Math.round(v * 100) / 100);
}

/**
 * Reads `<prefix>x`, `<prefix>log`, `<prefix>smooth`, `<prefix>b` and `<prefix>q` from a query (e.g. `cx=time&clog=1&csmooth=0.6`). Missing or
 * invalid values fall back to the defaults.
 */
export function readChartSettings(query: URLSearchParams, prefix = "c"): ChartSettings {
  const x = query.get(`${prefix}x`);
  const log = query.get(`${prefix}log`);
  const smooth = query.get(`${prefix}smooth`);
  return {
    x: X_VALUES.find((v) => v === x) ?? DEFAULT_CHART_SETTINGS.x,
    log: log === "1" || log === "true",
    smoothing: smooth === null ? DEFAULT_CHART_SETTINGS.smoothing : clampSmoothing(Number(smooth)),
    ...(query.get(`${prefix}b`) ? { board: query.get(`${prefix}b`) as string } : {}),
    ...(query.get(`${prefix}q`) ? { search: query.get(`${prefix}q`) as string } : {}),
  };
}

/**
 * Writes the settings into `query` (in place, and returns it); values equal to the defaults are removed, so a default
 * view keeps a short URL.
 */
export function writeChartSettings(query: URLSearchParams, settings: ChartSettings, prefix = "c"): URLSearchParams {
  const set = (name: string, value: string | undefined) => {
    if (value === undefined) query.delete(`${prefix}${name}`);
    else query.set(`${prefix}${name}`, value);
  };
  set("x", settings.x === DEFAULT_CHART_SETTINGS.x ? undefined : settings.x);
  set("log", settings.log ? "1" : undefined);
  const s = clampSmoothing(settings.smoothing);
  set("smooth", s === 0 ? undefined : String(s));
  set("b", settings.board || undefined);
  set("q", settings.search || undefined);
  return query;
}

/** Whether two settings are the same (for skipping no-op URL writes). */
export function sameChartSettings(a: ChartSettings, b: ChartSettings): boolean {
  return (
    a.x === b.x &&
    a.log === b.log &&
    clampSmoothing(a.smoothing) === clampSmoothing(b.smoothing) &&
    (a.board ?? "") === (b.board ?? "") &&
    (a.search ?? "") === (b.search ?? "")
  );
}
