import type { Span, TraceSpanTree } from "@tracklite/schemas";
import { nanosToMs, SPAN_TYPE, spanAttribute, spanStatus } from "./spans.js";

/** What the tree needs of each span, in columns: from whole spans, or from tracklite's span-tree call. */
export interface SpanColumns {
  n: number;
  /** Span ids as the parent ids refer to them (base64 from `traces/get`, hex from the span-tree call). */
  ids: readonly string[];
  parents: readonly (string | null | undefined)[];
  names: readonly string[];
  /** `mlflow.spanType` ("" when unset). */
  types: readonly string[];
  /** 1 for spans with status ERROR. */
  errors: Uint8Array;
  startMs: Float64Array;
  endMs: Float64Array;
}

/** The columns of whole spans (`traces/get`, `get-trace-artifact`): the span type is the one attribute read. */
export function columnsOfSpans(spans: readonly Span[]): SpanColumns {
  const n = spans.length;
  const ids = new Array<string>(n);
  const parents = new Array<string | undefined>(n);
  const names = new Array<string>(n);
  const types = new Array<string>(n);
  const errors = new Uint8Array(n);
  const startMs = new Float64Array(n);
  const endMs = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const s = spans[i] as Span;
    ids[i] = s.span_id;
    parents[i] = s.parent_span_id ?? undefined;
    names[i] = s.name ?? "";
    const type = spanAttribute(s, SPAN_TYPE);
    types[i] = typeof type === "string" ? type : "";
    errors[i] = spanStatus(s) === "ERROR" ? 1 : 0;
    startMs[i] = nanosToMs(s.start_time_unix_nano);
    endMs[i] = nanosToMs(s.end_time_unix_nano);
  }
  return { n, ids, parents, names, types, errors, startMs, endMs };
}

/** A span type as stored: spans sent over OTLP by MLflow's SDK carry it JSON-encoded (`"\"LLM\""`). */
function plainType(t: string | null | undefined): string {
  if (!t) return "";
  if (t.charCodeAt(0) !== 34) return t;
  try {
    const v = JSON.parse(t);
    return typeof v === "string" ? v : t;
  } catch {
    return t;
  }
}

/** The columns of tracklite's span-tree pages (ids in hex, times in microseconds). */
export function columnsOfTreePages(pages: readonly TraceSpanTree[]): SpanColumns {
  const n = pages.reduce((k, p) => k + p.span_ids.length, 0);
  const ids: string[] = [];
  const parents: (string | null)[] = [];
  const names: string[] = [];
  const types: string[] = [];
  const errors = new Uint8Array(n);
  const startMs = new Float64Array(n);
  const endMs = new Float64Array(n);
  let k = 0;
  for (const p of pages) {
    for (let j = 0; j < p.span_ids.length; j++, k++) {
      ids.push(p.span_ids[j] as string);
      parents.push(p.parent_ids[j] ?? null);
      names.push(p.names[j] ?? "");
      types.push(plainType(p.types[j]));
      errors[k] = p.statuses[j] === "ERROR" ? 1 : 0;
      startMs[k] = (p.start_us[j] as number) / 1000;
      const end = p.end_us[j];
      endMs[k] = end === null || end === undefined ? Number.NaN : end / 1000;
    }
  }
  return { n, ids, parents, names, types, errors, startMs, endMs };
}

/**
 * A trace's spans as a tree in flat typed arrays, built in O(n) (one sort by start time only when the spans do not
 * come in start order): a 50,000-span trace is indexed in milliseconds. Children are in start-time order. A span whose
 * parent is missing (a partial trace) is a root; spans caught in a parent cycle are roots too.
 */
export interface SpanTree {
  n: number;
  /** Span ids as sent (see {@link SpanColumns}). */
  ids: readonly string[];
  names: readonly string[];
  /** The whole spans, when they were loaded with the tree (else their contents are fetched when opened). */
  spans: readonly Span[] | undefined;
  /** Index of the parent, −1 for roots. */
  parent: Int32Array;
  firstChild: Int32Array;
  nextSibling: Int32Array;
  childCount: Int32Array;
  depth: Int32Array;
  startMs: Float64Array;
  endMs: Float64Array;
  error: Uint8Array;
  types: readonly string[];
  roots: number[];
  /** Earliest start and latest end (ms since the epoch): the timeline's extent. */
  t0: number;
  t1: number;
  byId: Map<string, number>;
}

/** The tree of whole spans. */
export const spanTreeOf = (spans: readonly Span[]): SpanTree => buildSpanTree(columnsOfSpans(spans), spans);

export function buildSpanTree(cols: SpanColumns, spans?: readonly Span[]): SpanTree {
  const { n, startMs, endMs } = cols;
  const parent = new Int32Array(n).fill(-1);
  const firstChild = new Int32Array(n).fill(-1);
  const lastChild = new Int32Array(n).fill(-1);
  const nextSibling = new Int32Array(n).fill(-1);
  const childCount = new Int32Array(n);
  const depth = new Int32Array(n);
  const byId = new Map<string, number>();
  let t0 = Number.POSITIVE_INFINITY;
  let t1 = Number.NEGATIVE_INFINITY;
  let sorted = true;
  for (let i = 0; i < n; i++) {
    byId.set(cols.ids[i] as string, i);
    const a = startMs[i] as number;
    const b = endMs[i] as number;
    if (a < t0) t0 = a;
    if (b > t1) t1 = b;
    else if (!(b >= a) && a > t1) t1 = a; // still running: no end yet
    if (i > 0 && a < (startMs[i - 1] as number)) sorted = false;
  }
  // Link children in start order, so each child list comes out sorted.
  let order: ArrayLike<number>;
  if (sorted) order = { length: n } as ArrayLike<number>;
  else {
    const o = new Int32Array(n);
    for (let i = 0; i < n; i++) o[i] = i;
    o.sort((x, y) => (startMs[x] as number) - (startMs[y] as number) || x - y);
    order = o;
  }
  const roots: number[] = [];
  for (let k = 0; k < n; k++) {
    const i = sorted ? k : (order[k] as number);
    const pid = cols.parents[i];
    const p = pid ? byId.get(pid) : undefined;
    if (p === undefined || p === i) {
      roots.push(i);
      continue;
    }
    parent[i] = p;
    childCount[p] = (childCount[p] as number) + 1;
    const last = lastChild[p] as number;
    if (last < 0) firstChild[p] = i;
    else nextSibling[last] = i;
    lastChild[p] = i;
  }
  // Depths by a walk from the roots; whatever the walk does not reach sits in a parent cycle: made a root.
  const seen = new Uint8Array(n);
  const stack: number[] = [];
  const walk = (r: number, d: number) => {
    depth[r] = d;
    seen[r] = 1;
    stack.push(r);
    while (stack.length) {
      const v = stack.pop() as number;
      for (let c = firstChild[v] as number; c >= 0; c = nextSibling[c] as number) {
        if (seen[c]) continue;
        seen[c] = 1;
        depth[c] = (depth[v] as number) + 1;
        stack.push(c);
      }
    }
  };
  for (const r of roots) walk(r, 0);
  for (let i = 0; i < n; i++) {
    if (seen[i]) continue;
    const p = parent[i] as number;
    // Unlink from the parent's list so no walk revisits it, then root it.
    if (p >= 0) {
      let prev = -1;
      for (let c = firstChild[p] as number; c >= 0; prev = c, c = nextSibling[c] as number) {
        if (c !== i) continue;
        if (prev < 0) firstChild[p] = nextSibling[c] as number;
        else nextSibling[prev] = nextSibling[c] as number;
        break;
      }
      childCount[p] = (childCount[p] as number) - 1;
      nextSibling[i] = -1;
      parent[i] = -1;
    }
    roots.push(i);
    walk(i, 0);
  }
  if (!Number.isFinite(t0)) t0 = 0;
  if (!Number.isFinite(t1) || t1 < t0) t1 = t0;
  return {
    n,
    ids: cols.ids,
    names: cols.names,
    spans,
    parent,
    firstChild,
    nextSibling,
    childCount,
    depth,
    startMs,
    endMs,
    error: cols.errors,
    types: cols.types,
    roots,
    t0,
    t1,
    byId,
  };
}

/**
 * The rows a tree view shows: spans in depth-first order, skipping the descendants of collapsed spans. O(rows).
 */
export function visibleRows(tree: SpanTree, collapsed: ReadonlySet<number>): Int32Array {
  const { firstChild, nextSibling, parent } = tree;
  const out = new Int32Array(tree.n);
  const none = collapsed.size === 0;
  let k = 0;
  // A walk by the links themselves (first child, next sibling, back up to the parent): no stack, no arrays.
  for (const root of tree.roots) {
    let v = root;
    while (v >= 0) {
      out[k++] = v;
      const c = firstChild[v] as number;
      if (c >= 0 && (none || !collapsed.has(v))) {
        v = c;
        continue;
      }
      while (v !== root && (nextSibling[v] as number) < 0) v = parent[v] as number;
      v = v === root ? -1 : (nextSibling[v] as number);
    }
  }
  return out.subarray(0, k);
}

/** The ancestors of a span, nearest first (to expand them when it is selected from a link). */
export function ancestors(tree: SpanTree, i: number): number[] {
  const out: number[] = [];
  for (let p = tree.parent[i] as number; p >= 0 && out.length < tree.n; p = tree.parent[p] as number) out.push(p);
  return out;
}
