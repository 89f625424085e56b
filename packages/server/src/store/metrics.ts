import { type Metric, type MetricBucket, type MetricSummary, toWireDouble } from "@tracklite/schemas";
import { invalidParameter, notFound } from "../errors.js";
import { sqlList } from "../sql/in-list.js";
import { API_DOCS } from "../validation/messages.js";
import type { DbHandle } from "./db.js";
import { pointsJsonText } from "./metric-chunks.js";
import { type MetricPieces, readHistory } from "./metric-history.js";
import { sampleRun } from "./metric-sampling.js";
import { reorder, seriesPoints, timeOrder } from "./metric-series.js";
import { metricBuckets, metricSummaries } from "./metric-summaries.js";
import { decodeOffsetToken } from "./page-token.js";
import { experimentInWorkspace, runsInWorkspace } from "./workspace-scope.js";

export type { MetricPieces } from "./metric-history.js";

/**
 * Metric histories: full, paged, bulk and sampled, read from the series' chunks (metric-chunks.ts). The long ones
 * are JSON text in pieces, a few chunks read at a time, so a million-point history never sits in memory whole.
 */
export class MetricStore {
  constructor(private readonly h: DbHandle) {}

  /**
   * Points of one metric ordered by (timestamp, step, value) as the reference orders them (is_nan last, to make ties
   * deterministic); paged when `maxResults` is given, with the reference's offset tokens. Errors in the arguments
   * are thrown by the first `next()`.
   * @see mlflow/store/tracking/sqlalchemy_store.py `get_metric_history`
   */
  async *history(runUuid: string, key: string, maxResults?: number, pageToken?: string): MetricPieces {
    if (maxResults !== undefined && maxResults <= 0) {
      throw invalidParameter(
        `Invalid value ${maxResults} for parameter 'max_results' supplied. It must be a positive integer.`,
      );
    }
    const offset = decodeOffsetToken(pageToken);
    // An unknown run has an empty history, not an error, as in the reference; with workspaces on, a run outside the
    // request's workspace (or none at all) is "not found" as there (`_validate_run_accessible`).
    const scope = experimentInWorkspace(this.h, "r.experiment_id");
    const rs = await this.h.client.execute({
      sql: `SELECT r.id FROM runs r WHERE r.run_uuid = ?${scope.sql}`,
      args: [runUuid, ...scope.args],
    });
    const row = rs.rows[0];
    if (!row && this.h.workspace !== undefined) throw notFound(`Run with id=${runUuid} not found`);
    if (!row) return undefined;
    return yield* readHistory(this.h, { runId: row.id as number, key, offset, maxResults });
  }

  /** The UI's bulk history: every point of `key` for up to 100 runs, ordered by run then (timestamp, step, value). */
  async historyBulk(allRunUuids: string[], key: string, maxResults: number): Promise<Metric[]> {
    const runUuids = (await runsInWorkspace(this.h, allRunUuids)).sort();
    if (runUuids.length === 0) return [];
    const runList = sqlList(runUuids);
    const rs = await this.h.client.execute({
      sql: `SELECT id, run_uuid FROM runs WHERE run_uuid IN ${runList.sql} ORDER BY run_uuid`,
      args: runList.args,
    });
    const out: Metric[] = [];
    for (const r of rs.rows) {
      if (out.length >= maxResults) break;
      let points = await seriesPoints(this.h, r.id as number, key);
      const order = timeOrder(points);
      if (order) points = reorder(points, order);
      const n = Math.min(points.steps.length, maxResults - out.length);
      for (let i = 0; i < n; i++) {
        out.push({
          key,
          value: toWireDouble(points.values[i] as number),
          timestamp: points.timestamps[i] as number,
          step: points.steps[i] as number,
          run_id: r.run_uuid as string,
        });
      }
    }
    return out;
  }

  /**
   * get-history-bulk-interval: each run's points sampled as the reference samples them (`sampleRun`), one piece per
   * run with points, runs in the order asked. tracklite's UI charts from `buckets` instead, which keeps spikes.
   */
  async *historySampled(
    runUuids: string[],
    key: string,
    startStep: number | undefined,
    endStep: number | undefined,
    maxResults: number,
  ): MetricPieces {
    // With workspaces on, a run outside the request's workspace is "not found", as in the reference.
    const inWorkspace = await runsInWorkspace(this.h, runUuids);
    const missing = runUuids.find((id) => !inWorkspace.includes(id));
    if (missing !== undefined) throw notFound(`Run with id=${missing} not found`);
    const ids = new Map<string, number>();
    if (runUuids.length > 0) {
      const runList = sqlList(runUuids);
      const rs = await this.h.client.execute({
        sql: `SELECT id, run_uuid FROM runs WHERE run_uuid IN ${runList.sql}`,
        args: runList.args,
      });
      for (const r of rs.rows) ids.set(r.run_uuid as string, r.id as number);
    }
    const range = startStep !== undefined && endStep !== undefined ? { startStep, endStep } : undefined;
    for (const uuid of runUuids) {
      const id = ids.get(uuid);
      if (id === undefined) continue;
      const points = await sampleRun(this.h, id, key, range, maxResults);
      if (points.steps.length > 0) yield pointsJsonText(key, points, `,"run_id":${JSON.stringify(uuid)}}`);
    }
    return undefined;
  }

  /** Min, max, count and latest value per (run, key): tracklite's UI call for runs tables. */
  async summaries(runUuids: string[], keys?: string[]): Promise<MetricSummary[]> {
    return metricSummaries(this.h, await runsInWorkspace(this.h, runUuids), keys);
  }

  /** Per-bucket last point and min/max of one metric per run: tracklite's UI call for charts. */
  async buckets(runUuids: string[], key: string, opts: Parameters<typeof metricBuckets>[3]): Promise<MetricBucket[]> {
    return metricBuckets(this.h, await runsInWorkspace(this.h, runUuids), key, opts);
  }
}

/** The reference's checks on get-history-bulk-interval; returns the points-per-run limit. */
export function checkBulkArgs(
  runIds: string[],
  maxResults: number | undefined,
  startStep?: number,
  endStep?: number,
): number {
  if (runIds.length > 100) {
    throw invalidParameter(
      `GetMetricHistoryBulkInterval request must specify at most 100 run_ids. Received ${runIds.length} run_ids.${API_DOCS}`,
    );
  }
  const max = maxResults ?? 2500;
  if (max < 1 || max > 2500) throw invalidParameter(`max_results must be between 1 and 2500.${API_DOCS}`);
  if ((startStep === undefined) !== (endStep === undefined)) {
    throw invalidParameter("If either start step or end step are specified, both must be specified.");
  }
  if (startStep !== undefined && endStep !== undefined && startStep > endStep) {
    throw invalidParameter(
      `end_step must be greater than start_step. Found start_step=${startStep} and end_step=${endStep}.`,
    );
  }
  return max;
}
