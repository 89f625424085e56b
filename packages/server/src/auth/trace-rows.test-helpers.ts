import { join } from "node:path";
import type { Client } from "@libsql/client";
import { openLibsqlClient } from "../store/db.js";

/** What a test trace carries besides its experiment. */
export interface TestTrace {
  metadata?: Record<string, string>;
  tags?: Record<string, string>;
  /** Names of feedback assessments to attach. */
  assessments?: string[];
  /** Spans as the API sends them (JSON text, its nanosecond times bare digits), with their ids and start times. */
  spans?: { spanId: string; startNs: bigint; content: string }[];
}

/**
 * Writes trace rows straight into a test app's tracking database (the permission checks only need the rows), on a
 * connection of its own to the same file.
 */
export class TraceRows {
  private client: Client | undefined;
  private n = 0;

  constructor(private readonly dir: string) {}

  private async db(): Promise<Client> {
    this.client ??= await openLibsqlClient(`file:${join(this.dir, "test.db")}`);
    return this.client;
  }

  /** Inserts a trace of the experiment and returns its id (`tr-` and 32 hex digits). */
  async insert(experimentId: string, trace: TestTrace = {}): Promise<string> {
    const db = await this.db();
    const requestId = `tr-${(++this.n).toString(16).padStart(8, "0")}${"0".repeat(24)}`;
    const now = 1_700_000_000_000 + this.n;
    const rs = await db.execute({
      sql: "INSERT INTO trace_info (request_id, experiment_id, timestamp_ms, execution_time_ms, status) VALUES (?, ?, ?, 5, 'OK') RETURNING id",
      args: [requestId, Number(experimentId), now],
    });
    const row = Number(rs.rows[0]?.id);
    for (const [key, value] of Object.entries(trace.metadata ?? {}))
      await db.execute({
        sql: "INSERT INTO trace_request_metadata (trace_row, key, value) VALUES (?, ?, ?)",
        args: [row, key, value],
      });
    for (const [key, value] of Object.entries(trace.tags ?? {}))
      await db.execute({
        sql: "INSERT INTO trace_tags (trace_row, key, value) VALUES (?, ?, ?)",
        args: [row, key, value],
      });
    for (const [i, name] of (trace.assessments ?? []).entries())
      await db.execute({
        sql: `INSERT INTO assessments (assessment_id, trace_row, name, assessment_type, value, created_timestamp,
          last_updated_timestamp, source_type, source_id) VALUES (?, ?, ?, 'feedback', '"yes"', ?, ?, 'HUMAN', 'alice')`,
        args: [`a-${requestId.slice(3)}${i}`, row, name, now, now],
      });
    for (const span of trace.spans ?? [])
      await db.execute({
        sql: "INSERT INTO spans (trace_row, span_id, status, start_time_unix_nano, content) VALUES (?, ?, 'OK', ?, ?)",
        args: [row, span.spanId, span.startNs, span.content],
      });
    return requestId;
  }

  close(): void {
    this.client?.close();
  }
}
