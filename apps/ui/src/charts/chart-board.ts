/**
 * The user's chart board, as it lives in the URL (`cb`, JSON): the charts they added (MLflow's "Add chart" kinds),
 * per-chart settings of the default metric charts, and the order they dragged cards into. Pure: parsed leniently (a
 * hand-edited or old link drops what it cannot read instead of breaking the page), written without defaults.
 */

/** Chart kinds of MLflow's "Add chart" menu (3D histogram and video aside). */
export const CHART_KINDS = ["line", "bar", "scatter", "parallel", "contour", "difference", "images"] as const;
export type ChartKind = (typeof CHART_KINDS)[number];

export const KIND_LABELS: Record<ChartKind, string> = {
  line: "Line chart",
  bar: "Bar chart",
  scatter: "Scatter chart",
  parallel: "Parallel coordinates",
  contour: "Contour chart",
  difference: "Difference view",
  images: "Image grid",
};

export type XAxis = "step" | "time" | "relative";
const X_AXES: readonly XAxis[] = ["step", "time", "relative"];

/** Settings a chart may set for itself; unset ones follow the page's toolbar. */
export interface ChartOwnSettings {
  x?: XAxis;
  log?: boolean;
  smooth?: number;
}

/**
 * The image grid's view (the `image-grid` area's `ImageGridView`: logged images or image artifacts, columns by key or
 * by step, keys or files chosen, the slider's step, runs as columns), kept as the grid reports it.
 */
export interface ImageView {
  mode?: "logged" | "artifacts";
  across?: "keys" | "steps";
  keys?: string[];
  step?: number;
  transpose?: boolean;
}

/**
 * A chart the user added. `m`: metric keys (line, bar); `c`: column ids `p:<param>`/`m:<metric>` (scatter x,y;
 * contour x,y,z; parallel axes); `b`: the difference view's baseline run, `d`: differences only; `v`: the image
 * grid's view.
 */
export interface ChartSpec extends ChartOwnSettings {
  i: string;
  k: ChartKind;
  m?: string[];
  c?: string[];
  b?: string;
  d?: boolean;
  v?: ImageView;
}

/** A default metric chart's own settings: `k` switches single values between bars and a line. */
export interface Override extends ChartOwnSettings {
  k?: "line" | "bar";
}

export interface Board {
  /** Added charts, in order. */
  c: ChartSpec[];
  /** Metric key → that default chart's own settings. */
  o: Record<string, Override>;
  /** Metric keys in the order the user dragged them to (the rest follow in natural order). */
  r: string[];
}

export const emptyBoard = (): Board => ({ c: [], o: {}, r: [] });

const isObj = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);
const strings = (v: unknown): string[] | undefined =>
  Array.isArray(v) ? v.filter((s): s is string => typeof s === "string" && s.length > 0) : undefined;

function ownSettings(v: Record<string, unknown>): ChartOwnSettings {
  const out: ChartOwnSettings = {};
  if (X_AXES.includes(v.x as XAxis)) out.x = v.x as XAxis;
  if (typeof v.log === "boolean") out.log = v.log;
  if (typeof v.smooth === "number" && v.smooth >= 0 && v.smooth <= 0.99) out.smooth = v.smooth;
  return out;
}

function parseSpec(v: unknown): ChartSpec | undefined {
  if (!isObj(v) || typeof v.i !== "string" || !CHART_KINDS.includes(v.k as ChartKind)) return undefined;
  const spec: ChartSpec = { i: v.i, k: v.k as ChartKind, ...ownSettings(v) };
  const m = strings(v.m);
  const c = strings(v.c);
  if (m?.length) spec.m = m;
  if (c?.length) spec.c = c;
  if (typeof v.b === "string" && v.b) spec.b = v.b;
  if (v.d === true) spec.d = true;
  if (isObj(v.v)) spec.v = imageView(v.v);
  return spec;
}

function imageView(v: Record<string, unknown>): ImageView {
  const out: ImageView = {};
  if (v.mode === "logged" || v.mode === "artifacts") out.mode = v.mode;
  if (v.across === "keys" || v.across === "steps") out.across = v.across;
  const keys = strings(v.keys);
  if (keys) out.keys = keys;
  if (typeof v.step === "number" && Number.isInteger(v.step)) out.step = v.step;
  if (v.transpose === true) out.transpose = true;
  return out;
}

/** Reads a board from its URL text; anything unreadable is left out. */
export function parseBoard(raw: string | undefined): Board {
  const board = emptyBoard();
  if (!raw) return board;
  let v: unknown;
  try {
    v = JSON.parse(raw);
  } catch {
    return board;
  }
  if (!isObj(v)) return board;
  const seen = new Set<string>();
  for (const item of Array.isArray(v.c) ? v.c : []) {
    const spec = parseSpec(item);
    if (spec && !seen.has(spec.i)) {
      seen.add(spec.i);
      board.c.push(spec);
    }
  }
  if (isObj(v.o)) {
    for (const [key, o] of Object.entries(v.o)) {
      if (!isObj(o)) continue;
      const over: Override = { ...ownSettings(o) };
      if (o.k === "line" || o.k === "bar") over.k = o.k;
      if (Object.keys(over).length) board.o[key] = over;
    }
  }
  board.r = [...new Set(strings(v.r) ?? [])];
  return board;
}

/** The board's URL text; "" for an empty board (so a default view keeps a short URL). */
export function serializeBoard(board: Board): string {
  const out: Partial<Board> = {};
  if (board.c.length) out.c = board.c;
  const o = Object.entries(board.o).filter(([, v]) => Object.keys(v).length);
  if (o.length) out.o = Object.fromEntries(o);
  if (board.r.length) out.r = board.r;
  return Object.keys(out).length ? JSON.stringify(out) : "";
}

/** A short id for a new chart, unique on the board. */
export function newChartId(board: Board): string {
  const used = new Set(board.c.map((c) => c.i));
  for (let n = board.c.length + 1; ; n++) if (!used.has(`c${n}`)) return `c${n}`;
}

/** Keys in the board's order: those the user placed first, in that order, then the rest as given. */
export function orderKeys(keys: readonly string[], order: readonly string[]): string[] {
  if (!order.length) return [...keys];
  const present = new Set(keys);
  const placed = order.filter((k) => present.has(k));
  const placedSet = new Set(placed);
  return [...placed, ...keys.filter((k) => !placedSet.has(k))];
}

/**
 * Moves `from` to where `to` is in `list` (before it when moving up, after it when moving down); the same list when
 * either is missing or they are the same.
 */
export function moveItem<T>(list: readonly T[], from: T, to: T): T[] {
  const a = list.indexOf(from);
  const b = list.indexOf(to);
  if (a < 0 || b < 0 || a === b) return [...list];
  const out = list.filter((x) => x !== from);
  out.splice(b, 0, from);
  return out;
}

/**
 * The new drag order after moving metric `from` onto `to` within one section's keys (already ordered): the keys of the
 * section up to the last one moved are written down, so a board stays short when only the top cards were moved.
 */
export function reorderKeys(order: readonly string[], sectionKeys: readonly string[], from: string, to: string) {
  const moved = moveItem(sectionKeys, from, to);
  const last = Math.max(moved.indexOf(from), moved.indexOf(to));
  const own = new Set(sectionKeys);
  return [...moved.slice(0, last + 1), ...order.filter((k) => !own.has(k))];
}

/** The keys a chart shows (for search and titles): its metrics and its columns' keys. */
export function specKeys(spec: ChartSpec): string[] {
  return [...(spec.m ?? []), ...(spec.c ?? []).map((c) => c.replace(/^[pm]:/, "")), ...(spec.v?.keys ?? [])];
}

/** A chart's title: what it shows. */
export function specTitle(spec: ChartSpec): string {
  const keys = specKeys(spec);
  if (spec.k === "scatter" && keys.length >= 2) return `${keys[1]} vs ${keys[0]}`;
  if (spec.k === "contour" && keys.length >= 3) return `${keys[2]} over ${keys[0]} × ${keys[1]}`;
  if (spec.k === "difference") return "Difference view";
  if (spec.k === "images") return spec.v?.keys?.length ? `Images: ${spec.v.keys.join(", ")}` : "Image grid";
  if (spec.k === "parallel") return `Parallel coordinates (${keys.length})`;
  return keys.join(", ") || KIND_LABELS[spec.k];
}

/** Chart search: every word of `query` (case-insensitive) appears in `text`; an empty query matches all. */
export function matchesSearch(query: string, text: string): boolean {
  const words = query.toLowerCase().split(/\s+/).filter(Boolean);
  const t = text.toLowerCase();
  return words.every((w) => t.includes(w));
}
