import { type PyValue, pyFloatRepr } from "./any-value.js";

/** One span as the tree-aware usage/cost roll-up sees it. @see mlflow/tracing/utils SpanAggregationNode */
export interface AggregationNode {
  spanId: string;
  parentId: string | null;
  /** The span's usage (or cost) object: numbers by key; undefined when the span has none. */
  data: ReadonlyMap<string, number> | undefined;
}

export const TOKEN_KEYS = ["input_tokens", "output_tokens", "total_tokens"] as const;
export const CACHE_TOKEN_KEYS = [
  "cache_read_input_tokens",
  "cache_creation_input_tokens",
  "cache_creation_input_tokens_above_1hr",
] as const;
export const COST_KEYS = ["input_cost", "output_cost", "total_cost"] as const;

/**
 * A usage/cost attribute's value as the node's data: an object's numeric members, else none (the reference loads the
 * stored JSON text once and keeps it only when it is a dict).
 * @see mlflow/store/tracking/sqlalchemy_store.py _span_aggregation_node
 */
export function nodeData(value: PyValue | undefined): ReadonlyMap<string, number> | undefined {
  if (value?.t !== "dict") return undefined;
  const out = new Map<string, number>();
  for (const [k, v] of value.v) {
    if (v.t === "int" || v.t === "float") out.set(k, Number(v.v));
    else if (v.t === "bool") out.set(k, v.v ? 1 : 0);
  }
  return out;
}

/**
 * Sums usage (or cost) over a trace's spans without double counting: a span whose ancestor already carries data is
 * skipped, since roll-up integrations put cumulative usage on parents. Undefined when no span has data.
 * @see mlflow/tracing/utils/__init__.py _aggregate_from_nodes
 */
export function aggregateNodes(
  nodes: Iterable<AggregationNode>,
  keys: readonly string[],
  optionalKeys: readonly string[] = [],
): Map<string, number> | undefined {
  const list = [...nodes];
  const ids = new Set(list.map((n) => n.spanId));
  const children = new Map<string, AggregationNode[]>();
  const roots: AggregationNode[] = [];
  for (const n of list) {
    if (n.parentId && ids.has(n.parentId)) {
      const c = children.get(n.parentId);
      if (c) c.push(n);
      else children.set(n.parentId, [n]);
    } else roots.push(n);
  }
  const totals = new Map<string, number>(keys.map((k) => [k, 0]));
  let hasData = false;
  const stack: [AggregationNode, boolean][] = roots.map((r) => [r, false]);
  while (stack.length > 0) {
    const [node, ancestorHasData] = stack.pop() as [AggregationNode, boolean];
    if (node.data && !ancestorHasData) {
      for (const k of keys) totals.set(k, (totals.get(k) ?? 0) + (node.data.get(k) ?? 0));
      for (const k of optionalKeys) {
        const v = node.data.get(k);
        if (v !== undefined) totals.set(k, (totals.get(k) ?? 0) + v);
      }
      hasData = true;
    }
    for (const child of children.get(node.spanId) ?? []) stack.push([child, ancestorHasData || !!node.data]);
  }
  return hasData ? totals : undefined;
}

/** A token count as the reference's `token_count_or_none`: an integral number in int64's range. */
export function tokenCount(v: number | undefined): number | undefined {
  return v !== undefined && Number.isFinite(v) && Number.isInteger(v) ? v : undefined;
}

/**
 * `mlflow.trace.tokenUsage` as the reference writes it from its token columns: Python's json.dumps of the valid
 * counts, in its column order.
 * @see mlflow/store/tracking/utils/trace_analytics.py compatibility_metadata_from_columns
 */
export function tokenUsageJson(totals: ReadonlyMap<string, number>): string | undefined {
  const parts: string[] = [];
  for (const k of [...TOKEN_KEYS, ...CACHE_TOKEN_KEYS]) {
    const v = tokenCount(totals.get(k));
    if (v !== undefined) parts.push(`"${k}": ${v}`);
  }
  return parts.length > 0 ? `{${parts.join(", ")}}` : undefined;
}

/** `mlflow.trace.cost` as the reference writes it from its cost columns (finite floats). */
export function costJson(totals: ReadonlyMap<string, number>): string | undefined {
  const parts: string[] = [];
  for (const k of COST_KEYS) {
    const v = totals.get(k);
    if (v !== undefined && Number.isFinite(v)) parts.push(`"${k}": ${pyFloatRepr(v)}`);
  }
  return parts.length > 0 ? `{${parts.join(", ")}}` : undefined;
}
