import type { InValue } from "@libsql/client";
import type { CalculateTraceFilterCorrelationResponse } from "@tracklite/schemas";
import type { DbHandle } from "./db.js";
import { parseExperimentId } from "./ids.js";
import { experimentsInWorkspace } from "./workspace-scope.js";

/** A search_traces filter compiled to a condition on `trace_info t` (with the arguments of its placeholders). */
export interface TraceCondition {
  sql: string;
  args: InValue[];
}

/**
 * Compiles a search_traces filter string over the searched experiments; throws the grammar's INVALID_PARAMETER_VALUE
 * for a bad one.
 */
export type TraceFilterCompiler = (filter: string, experimentIds: readonly number[]) => TraceCondition;

export interface CorrelationArgs {
  experimentIds: string[];
  filter1: string;
  filter2: string;
  baseFilter: string | undefined;
}

const JEFFREYS_PRIOR = 0.5;

/** NPMI of a 2×2 table with additive smoothing; NaN where undefined. @see mlflow/store/analytics/trace_correlation.py */
function npmiCore(n11: number, n10: number, n01: number, n00: number, smoothing: number): number {
  const [a, b, c, d] = [n11 + smoothing, n10 + smoothing, n01 + smoothing, n00 + smoothing];
  const total = a + b + c + d;
  const n1 = a + b;
  const n2 = a + c;
  if (n1 <= 0 || n2 <= 0 || a <= 0) return Number.NaN;
  if (n10 === 0 && n01 === 0 && n00 === 0) return 1.0;
  const pmi = Math.log(a) + Math.log(total) - (Math.log(n1) + Math.log(n2));
  const npmi = pmi / -(Math.log(a) - Math.log(total));
  return Math.max(-1.0, Math.min(1.0, npmi));
}

/** @see trace_correlation.py calculate_npmi_from_counts */
export function npmiFromCounts(joint: number, f1: number, f2: number, total: number): [number, number] {
  if (total <= 0 || f1 === 0 || f2 === 0) return [Number.NaN, Number.NaN];
  const n11 = joint;
  const n10 = f1 - joint;
  const n01 = f2 - joint;
  const n00 = total - f1 - f2 + joint;
  if (Math.min(n11, n10, n01, n00) < 0) return [Number.NaN, Number.NaN];
  const raw = joint === 0 ? -1.0 : npmiCore(n11, n10, n01, n00, 0);
  return [raw, npmiCore(n11, n10, n01, n00, JEFFREYS_PRIOR)];
}

/**
 * CalculateTraceFilterCorrelation: how many traces of the experiments match each filter, both, and in all (all those
 * matching `base_filter` when given, which both filters are also ANDed with), and the NPMI between the two filters.
 * @see mlflow/store/tracking/sqlalchemy_store.py calculate_trace_filter_correlation
 */
export async function calculateTraceFilterCorrelation(
  h: DbHandle,
  a: CorrelationArgs,
  compile: TraceFilterCompiler,
): Promise<CalculateTraceFilterCorrelationResponse> {
  const experiments = await experimentsInWorkspace(h, a.experimentIds.map(parseExperimentId));
  const combined = (f: string) => (a.baseFilter ? `${a.baseFilter} and ${f}` : f);
  const c1 = compile(combined(a.filter1), experiments);
  const c2 = compile(combined(a.filter2), experiments);
  const base = a.baseFilter ? compile(a.baseFilter, experiments) : { sql: "1", args: [] };
  const rs = await h.client.execute({
    sql: `SELECT COUNT(*) AS total, COALESCE(SUM(f1), 0) AS filter1, COALESCE(SUM(f2), 0) AS filter2,
            COALESCE(SUM(f1 AND f2), 0) AS joint
          FROM (SELECT CASE WHEN ${c1.sql} THEN 1 ELSE 0 END AS f1, CASE WHEN ${c2.sql} THEN 1 ELSE 0 END AS f2
                FROM trace_info t WHERE t.experiment_id IN (SELECT value FROM json_each(?)) AND (${base.sql}))`,
    args: [...c1.args, ...c2.args, JSON.stringify(experiments), ...base.args],
  });
  const r = rs.rows[0];
  const [total, filter1, filter2, joint] = [r?.total, r?.filter1, r?.filter2, r?.joint].map((x) => Number(x ?? 0)) as [
    number,
    number,
    number,
    number,
  ];
  const [npmi, smoothed] = npmiFromCounts(joint, filter1, filter2, total);
  return {
    ...(Number.isNaN(npmi) ? {} : { npmi }),
    ...(Number.isNaN(smoothed) ? {} : { npmi_smoothed: smoothed }),
    filter1_count: filter1,
    filter2_count: filter2,
    joint_count: joint,
    total_count: total,
  };
}
