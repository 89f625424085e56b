import type { Span } from "@tracklite/schemas";
import { nanosToMs, SPAN_TYPE, spanAttribute, spanStatus } from "./spans.js";

/**
 * A trace's spans as a tree in flat typed arrays, built in O(n) (one sort by start time only when the server's
 * order is not already by start time): a 50,000-span trace is indexed in a few milliseconds and nothing per span is
 * allocated beyond what the answer already holds. Children are in start-time order. A span whose parent is missing
 * (a partial trace) is a root; spans caught in a parent cycle are roots too.
 */
export interface SpanTree {
  n: number;
  spans: readonly Span[];
  /** Index of the parent, −1 for roots. */
  parent: Int32Array;
  firstChild: Int32Array;
  nextSibling: Int32Array;
  childCount: Int32Array;
  depth: Int32Array;
  startMs: Float64Array;
  endMs: Float64Array;
  /** 1 for spans with status ERROR. */
  error: Uint8Array;
  /** `mlflow.spanType` of each span ("" when unset), read once here. */
  types: string[];
  roots: number[];
  /** Earliest start and latest end (ms since the epoch): the timeline's extent. */
  t0: number;
  t1: number;
  /** Index by the span id exactly as sent (base64). */
  byId: Map<string, number>;
}

export function buildSpanTree(spans: readonly Span[]): SpanTree {
  const n = spans.length;
  const parent = new Int32Array(n).fill(-1);
  const firstChild = new Int32Array(n).fill(-1);
  const lastChild = new Int32Array(n).fill(-1);
  const nextSibling = new Int32Array(n).fill(-1);
  const childCount = new Int32Array(n);
  const depth = new Int32Array(n);
  const startMs = new Float64Array(n);
  const endMs = new Float64Array(n);
  const error = new Uint8Array(n);
  const types = new Array<string>(n);
  const byId = new Map<string, number>();
  let t0 = Number.POSITIVE_INFINITY;
  let t1 = Number.NEGATIVE_INFINITY;
  let sorted = true;
  for (let i = 0; i < n; i++) {
    const s = spans[i] as Span;
    byId.set(s.span_id, i);
    const a = nanosToMs(s.start_time_unix_nano);
    const b = nanosToMs(s.end_time_unix_nano);
    startMs[i] = a;
    endMs[i] = b;
    if (a < t0) t0 = a;
    if (b > t1) t1 = b;
    else if (!(b >= a) && a > t1) t1 = a; // still running: no end yet
    if (i > 0 && a < (startMs[i - 1] as number)) sorted = false;
    error[i] = spanStatus(s) === "ERROR" ? 1 : 0;
    const type = spanAttribute(s, SPAN_TYPE);
    types[i] = typeof type === "string" ? type : "";
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
    const pid = (spans[i] as Span).parent_span_id;
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
    spans,
    parent,
    firstChild,
    nextSibling,
    childCount,
    depth,
    startMs,
    endMs,
    error,
    types,
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
