import type { Run } from "@tracklite/schemas";

/** A run message as searchRuns returns it, for tests. */
export function fakeRun(
  id: string,
  opts: {
    name?: string;
    parent?: string;
    status?: Run["info"]["status"];
    tags?: Record<string, string>;
    params?: Record<string, string>;
    metrics?: Record<string, number | { value: number; step: number; timestamp: number }>;
    start?: number;
    end?: number;
  } = {},
): Run {
  const tags = { ...(opts.tags ?? {}) };
  if (opts.parent) tags["mlflow.parentRunId"] = opts.parent;
  return {
    info: {
      run_id: id,
      run_uuid: id,
      run_name: opts.name ?? id,
      experiment_id: "1",
      status: opts.status ?? "FINISHED",
      start_time: opts.start ?? 1000,
      end_time: opts.end,
      lifecycle_stage: "active",
    },
    data: {
      tags: Object.entries(tags).map(([key, value]) => ({ key, value })),
      params: Object.entries(opts.params ?? {}).map(([key, value]) => ({ key, value })),
      metrics: Object.entries(opts.metrics ?? {}).map(([key, m]) =>
        typeof m === "number" ? { key, value: m, step: 0, timestamp: 0 } : { key, ...m },
      ),
    },
  };
}
