import type { Client } from "@libsql/client";

/**
 * The SQL of trace archival: which traces may be archived, their span payloads, and the switch of a trace to its
 * archive (payloads emptied, tags pointing at the archive) in one transaction.
 * @see mlflow/store/tracking/sqlalchemy_store.py archive_traces, _finalize_archived_trace
 */

export const SPANS_LOCATION_TAG = "mlflow.trace.spansLocation";
export const ARCHIVE_LOCATION_TAG = "mlflow.trace.archiveLocation";
export const ARCHIVAL_FAILURE_TAG = "mlflow.trace.archivalFailure";
export const ARCHIVAL_RETENTION_EXPERIMENT_TAG = "mlflow.trace.archivalRetention";
export const ARCHIVE_REPO = "ARCHIVE_REPO";

export interface ArchivalCandidate {
  traceRow: number;
  traceId: string;
  experimentId: string;
  timestampMs: number;
}

/** A trace's span payloads as read for archival, with a fingerprint that changes when they change. */
export interface ArchivalSpans {
  contents: string[];
  fingerprint: string;
}

/** Active experiments with their `mlflow.trace.archivalRetention` tag (a JSON duration), if any. */
export async function archivalExperiments(
  client: Client,
): Promise<{ experimentId: string; retentionTag: string | null }[]> {
  const rs = await client.execute({
    sql: `SELECT e.experiment_id, t.value FROM experiments e
          LEFT JOIN experiment_tags t ON t.experiment_id = e.experiment_id AND t.key = ?
          WHERE e.lifecycle_stage = 'active' ORDER BY e.experiment_id`,
    args: [ARCHIVAL_RETENTION_EXPERIMENT_TAG],
  });
  return rs.rows.map((r) => ({
    experimentId: String(r.experiment_id),
    retentionTag: r.value === null ? null : String(r.value),
  }));
}

/**
 * Finished traces of one experiment at or before `cutoffMs` whose spans still live in the database (not archived,
 * no archival failure, some non-empty payload), oldest first.
 */
export async function archivalCandidates(
  client: Client,
  experimentId: string,
  cutoffMs: number,
  limit: number | undefined,
): Promise<ArchivalCandidate[]> {
  const rs = await client.execute({
    sql: `SELECT t.id, t.request_id, t.experiment_id, t.timestamp_ms FROM trace_info t
          WHERE t.experiment_id = ? AND t.timestamp_ms <= ? AND t.status != 'IN_PROGRESS'
            AND NOT EXISTS (SELECT 1 FROM trace_tags g WHERE g.trace_row = t.id AND g.key = ? AND g.value != 'TRACKING_STORE')
            AND NOT EXISTS (SELECT 1 FROM trace_tags g WHERE g.trace_row = t.id AND g.key = ?)
            AND EXISTS (SELECT 1 FROM spans s WHERE s.trace_row = t.id AND s.content != '')
          ORDER BY t.timestamp_ms, t.request_id LIMIT ?`,
    args: [Number(experimentId), cutoffMs, SPANS_LOCATION_TAG, ARCHIVAL_FAILURE_TAG, limit ?? -1],
  });
  return rs.rows.map((r) => ({
    traceRow: Number(r.id),
    traceId: String(r.request_id),
    experimentId: String(r.experiment_id),
    timestampMs: Number(r.timestamp_ms),
  }));
}

/** The trace's span payloads in span-id order. */
export async function spansForArchival(client: Client, traceRow: number): Promise<ArchivalSpans> {
  const rs = await client.execute({
    sql: "SELECT content FROM spans WHERE trace_row = ? ORDER BY span_id",
    args: [traceRow],
  });
  const contents = rs.rows.map((r) => String(r.content));
  return { contents, fingerprint: fingerprintOf(contents) };
}

function fingerprintOf(contents: string[]): string {
  let h = 0;
  for (const c of contents) for (let i = 0; i < c.length; i++) h = (Math.imul(h, 31) + c.charCodeAt(i)) | 0;
  return `${contents.length}:${contents.reduce((n, c) => n + c.length, 0)}:${h}`;
}

/**
 * Points the trace at its archive: empties its span payloads and sets the location tags, unless the trace changed
 * since its spans were read (new spans, a finished archival elsewhere); false then, and nothing is written.
 */
export async function finalizeArchivedTrace(
  client: Client,
  traceRow: number,
  archiveUri: string,
  fingerprint: string,
): Promise<boolean> {
  const tx = await client.transaction("write");
  try {
    const now = await tx.execute({
      sql: "SELECT content FROM spans WHERE trace_row = ? ORDER BY span_id",
      args: [traceRow],
    });
    const tags = await tx.execute({
      sql: "SELECT 1 FROM trace_tags WHERE trace_row = ? AND key = ? AND value != 'TRACKING_STORE'",
      args: [traceRow, SPANS_LOCATION_TAG],
    });
    if (tags.rows.length > 0 || fingerprintOf(now.rows.map((r) => String(r.content))) !== fingerprint) {
      await tx.rollback();
      return false;
    }
    await tx.batch([
      { sql: "UPDATE spans SET content = '' WHERE trace_row = ?", args: [traceRow] },
      {
        sql: "INSERT INTO trace_tags (trace_row, key, value) VALUES (?, ?, ?), (?, ?, ?) ON CONFLICT (trace_row, key) DO UPDATE SET value = excluded.value",
        args: [traceRow, SPANS_LOCATION_TAG, ARCHIVE_REPO, traceRow, ARCHIVE_LOCATION_TAG, archiveUri],
      },
      { sql: "DELETE FROM trace_tags WHERE trace_row = ? AND key = ?", args: [traceRow, ARCHIVAL_FAILURE_TAG] },
    ]);
    await tx.commit();
    return true;
  } finally {
    tx.close();
  }
}

/** Where an archived trace's spans are (its `mlflow.trace.archiveLocation`), or undefined when not archived. */
export async function archiveLocationOf(client: Client, traceId: string): Promise<string | undefined> {
  const rs = await client.execute({
    sql: `SELECT loc.value FROM trace_info t
          JOIN trace_tags sl ON sl.trace_row = t.id AND sl.key = ? AND sl.value = ?
          JOIN trace_tags loc ON loc.trace_row = t.id AND loc.key = ?
          WHERE t.request_id = ?`,
    args: [SPANS_LOCATION_TAG, ARCHIVE_REPO, ARCHIVE_LOCATION_TAG, traceId],
  });
  const v = rs.rows[0]?.value;
  return v === undefined || v === null ? undefined : String(v);
}
