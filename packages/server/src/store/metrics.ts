import type { Metric } from "@tracklite/schemas";
import { invalidParameter } from "../errors.js";
import { API_DOCS } from "../validation/messages.js";
import type { DbHandle } from "./db.js";
import { decodeOffsetToken, encodeOffsetToken } from "./page-token.js";
import { metricValue } from "./run-loader.js";

interface PointRow {
  run_id?: number;
  run_uuid?: string;
  step: number;
  timestamp: number;
  value: number;
  is_nan: number;
}

const toMetric = (key: string, r: PointRow, runUuid?: string): Metric => ({
  key,
  value: metricValue(r.value, r.is_nan),
  timestamp: r.timestamp,
  step: r.step,
  ...(runUuid ? { run_id: runUuid } : {}),
});

/** Metric histories: full, paged, bulk and sampled. */
export class MetricStore {
  constructor(private readonly h: DbHandle) {}

  /** Points of one metric ordered by (timestamp, step, value); paged when `maxResults` is given. */
  async history(
    runUuid: string,
    key: string,
    maxResults?: number,
    pageToken?: string,
  ): Promise<{ metrics: Metric[]; nextPageToken?: string }> {
    if (maxResults !== undefined && maxResults <= 0) {
      throw invalidParameter(
        `Invalid value ${maxResults} for parameter 'max_results' supplied. It must be a positive integer.`,
      );
    }
    const offset = decodeOffsetToken(pageToken);
    const limit = maxResults ?? -1;
    // An unknown run has an empty history, not an error, as in the reference.
    const rs = await this.h.client.execute({
      sql: `SELECT m.step, m.timestamp, m.value, m.is_nan FROM metrics m JOIN runs r ON r.id = m.run_id
            WHERE r.run_uuid = ? AND m.key = ? ORDER BY m.timestamp, m.step, m.value LIMIT ? OFFSET ?`,
      args: [runUuid, key, limit === -1 ? -1 : limit + 1, offset],
    });
    const rows = rs.rows as unknown as PointRow[];
    const more = limit !== -1 && rows.length > limit;
    const page = more ? rows.slice(0, limit) : rows;
    return {
      metrics: page.map((r) => toMetric(key, r)),
      ...(more ? { nextPageToken: encodeOffsetToken(offset + limit) } : {}),
    };
  }

  /** The UI's bulk history: every point of `key` for up to 100 runs, ordered by run then (timestamp, step, value). */
  async historyBulk(runUuids: string[], key: string, maxResults: number): Promise<Metric[]> {
    const rs = await this.h.client.execute({
      sql: `SELECT r.run_uuid, m.step, m.timestamp, m.value, m.is_nan FROM metrics m JOIN runs r ON r.id = m.run_id
            WHERE r.run_uuid IN (${runUuids.map(() => "?").join(",")}) AND m.key = ?
            ORDER BY r.run_uuid, m.timestamp, m.step, m.value LIMIT ?`,
      args: [...runUuids, key, maxResults],
    });
    return (rs.rows as unknown as PointRow[]).map((r) => toMetric(key, r, r.run_uuid));
  }

  /**
   * Sampled history per run for charts. The step range is cut into buckets; each bucket keeps its first, min, max
   * and last point, so spikes survive (MLflow's uniform stride can drop them), and the first and last steps are always
   * in. Same response shape as the reference.
   */
  async historySampled(
    runUuids: string[],
    key: string,
    startStep: number | undefined,
    endStep: number | undefined,
    maxResults: number,
  ): Promise<Metric[]> {
    const out: Metric[] = [];
    for (const uuid of runUuids) {
      const range = startStep !== undefined && endStep !== undefined ? "AND m.step BETWEEN ? AND ?" : "";
      const args = [uuid, key, ...(range ? [startStep as number, endStep as number] : [])];
      const rs = await this.h.client.execute({
        sql: `SELECT m.step, m.timestamp, m.value, m.is_nan FROM metrics m JOIN runs r ON r.id = m.run_id
              WHERE r.run_uuid = ? AND m.key = ? ${range} ORDER BY m.step, m.timestamp, m.value, m.is_nan`,
        args,
      });
      const rows = rs.rows as unknown as PointRow[];
      for (const r of samplePoints(rows, maxResults)) out.push(toMetric(key, r, uuid));
    }
    return out;
  }
}

/**
 * Keeps at most `max` points of a step-ordered series: the first and last point, and the minimum and maximum of each
 * of `(max - 2) / 2` equal-width step buckets, so a spike anywhere survives the sampling. NaN points are kept only as
 * a bucket's extremes when the bucket has nothing else.
 */
export function samplePoints<T extends { step: number; value: number; is_nan: number }>(rows: T[], max: number): T[] {
  if (rows.length <= max) return rows;
  const first = rows[0] as T;
  const last = rows[rows.length - 1] as T;
  if (max < 3) return max === 1 ? [last] : [first, last];
  const buckets = Math.max(1, Math.floor((max - 2) / 2));
  const span = last.step - first.step + 1;
  const bucketOf = (r: T) => Math.min(buckets - 1, Math.floor(((r.step - first.step) * buckets) / span));
  const keep = new Set<T>([first, last]);
  let i = 0;
  while (i < rows.length) {
    const b = bucketOf(rows[i] as T);
    let lo = rows[i] as T;
    let hi = lo;
    for (; i < rows.length && bucketOf(rows[i] as T) === b; i++) {
      const r = rows[i] as T;
      if (!r.is_nan && (lo.is_nan || r.value < lo.value)) lo = r;
      if (!r.is_nan && (hi.is_nan || r.value > hi.value)) hi = r;
    }
    keep.add(lo).add(hi);
  }
  return rows.filter((r) => keep.has(r));
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
