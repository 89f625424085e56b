import type { Span } from "@tracklite/schemas";
import { assessmentInserts } from "../store/assessments.js";
import { TRACE_NAME_TAG } from "../store/trace-loader.js";
import type { ImportTrace } from "./model.js";
import type { SinkTx } from "./sink-db.js";

const SESSION = "mlflow.trace.session";
const TOKEN_USAGE = "mlflow.trace.tokenUsage";

/** A proto Duration's JSON form ("1.5s") in milliseconds, floored as Duration.ToMilliseconds. */
function durationMs(text: string | undefined): number | null {
  const m = text === undefined ? null : /^(-)?(\d+)(?:\.(\d{1,9}))?s$/.exec(text);
  if (!m) return null;
  const ms = Number(m[2]) * 1000 + Math.floor(Number((m[3] ?? "").padEnd(9, "0")) / 1_000_000);
  return m[1] ? -ms : ms;
}

/** A token count of the usage metadata (`{"input_tokens": 3, …}`), or null. */
function tokens(usage: string | undefined, key: string): number | null {
  if (!usage) return null;
  try {
    const v = (JSON.parse(usage) as Record<string, unknown>)[key];
    return typeof v === "number" && Number.isInteger(v) ? v : null;
  } catch {
    return null;
  }
}

/** A span id as the `spans.span_id` column holds it (hex); the API's JSON carries it base64. */
function hexId(id: string | undefined): string | null {
  if (!id) return null;
  if (/^[0-9a-f]{16}$/.test(id)) return id;
  return Buffer.from(id, "base64").toString("hex");
}

/** The span's status code as the column keeps it: OK, ERROR or UNSET. */
function statusOf(span: Span): string {
  const code = span.status?.code;
  if (code === 1 || code === "STATUS_CODE_OK" || code === "OK") return "OK";
  if (code === 2 || code === "STATUS_CODE_ERROR" || code === "ERROR") return "ERROR";
  return "UNSET";
}

/** `mlflow.spanType` of the span's attributes (a JSON-encoded string value), or null. */
function typeOf(span: Span): string | null {
  const attr = span.attributes?.find((a) => a.key === "mlflow.spanType");
  const raw = (attr?.value as { string_value?: string } | undefined)?.string_value;
  if (raw === undefined) return null;
  try {
    const v = JSON.parse(raw) as unknown;
    return typeof v === "string" ? v : raw;
  } catch {
    return raw;
  }
}

/** A nanosecond time as exact integer SQL text (a string from the wire, or a number), or null. */
const nanos = (v: string | number | undefined): bigint | null =>
  v === undefined || v === "" ? null : BigInt(typeof v === "number" ? Math.trunc(v) : v);

/**
 * The span's API JSON as stored in `spans.content`, with its nanosecond times and int64 attribute values as integer
 * literals (they exceed 2^53: a string from the wire, as the REST and database sources carry them, is written
 * unquoted, exact), as the span ingest stores them and the reference answers them. Inside a JSON string every quote
 * is escaped, so only real members match.
 */
function contentOf(span: Span): string {
  return JSON.stringify(span).replace(
    /"((?:start_|end_)?time_unix_nano|int_value)":"(-?\d+)"/g,
    (_m, key: string, digits: string) => `"${key}":${digits}`,
  );
}

/**
 * Writes a trace: its info (with the columns search and the Traces table read: name, session, token counts), tags,
 * request metadata, spans, assessments and run links. Nothing is written when tracklite already holds the trace.
 */
export async function writeTrace(tx: SinkTx, experimentId: number, trace: ImportTrace): Promise<void> {
  const info = trace.trace.trace_info;
  const tags = info.tags ?? {};
  const metadata = info.trace_metadata ?? {};
  const usage = metadata[TOKEN_USAGE];
  const [row] = await tx.all<{ id: number }>(
    `INSERT INTO trace_info (request_id, experiment_id, timestamp_ms, execution_time_ms, status, client_request_id,
       request_preview, response_preview, trace_name, session_id, input_tokens, output_tokens, total_tokens)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (request_id) DO NOTHING RETURNING id`,
    [
      info.trace_id,
      experimentId,
      Date.parse(info.request_time) || 0,
      durationMs(info.execution_duration),
      info.state,
      info.client_request_id ?? null,
      info.request_preview ?? null,
      info.response_preview ?? null,
      tags[TRACE_NAME_TAG] ?? null,
      metadata[SESSION] ?? null,
      tokens(usage, "input_tokens"),
      tokens(usage, "output_tokens"),
      tokens(usage, "total_tokens"),
    ],
  );
  if (!row) return;
  const traceRow = Number(row.id);
  // Tags and metadata as rows in the source's order (the trace name also fills its column, as span ingest does).
  for (const [key, value] of Object.entries(tags)) {
    await tx.run("INSERT OR IGNORE INTO trace_tags (trace_row, key, value) VALUES (?, ?, ?)", [traceRow, key, value]);
  }
  for (const [key, value] of Object.entries(metadata).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    await tx.run("INSERT OR IGNORE INTO trace_request_metadata (trace_row, key, value) VALUES (?, ?, ?)", [
      traceRow,
      key,
      value,
    ]);
  }
  for (const span of trace.trace.spans) {
    const start = nanos(span.start_time_unix_nano) ?? 0n;
    const end = nanos(span.end_time_unix_nano);
    await tx.run(
      `INSERT OR IGNORE INTO spans (trace_row, span_id, parent_span_id, name, type, status, start_time_unix_nano,
         end_time_unix_nano, duration_ns, content) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      [
        traceRow,
        hexId(span.span_id),
        hexId(span.parent_span_id),
        span.name,
        typeOf(span),
        statusOf(span),
        start,
        end,
        end === null ? null : end - start,
        contentOf(span),
      ],
    );
  }
  const assessments = [...(info.assessments ?? []), ...(trace.assessments ?? [])];
  for (const stmt of assessmentInserts(traceRow, assessments, Date.now(), true)) {
    if (typeof stmt === "string") continue;
    const args = Array.isArray(stmt.args) ? stmt.args : [];
    await tx.run(stmt.sql.replace(/^INSERT INTO/, "INSERT OR IGNORE INTO"), args);
  }
  for (const runId of trace.linked_run_ids ?? []) {
    await tx.run(
      `INSERT INTO entity_associations (association_id, source_type, source_id, destination_type, destination_id, created_time)
       VALUES (lower(hex(randomblob(16))), 'TRACE', ?, 'RUN', ?, ?)
       ON CONFLICT (source_type, source_id, destination_type, destination_id) DO NOTHING`,
      [info.trace_id, runId, Date.now()],
    );
  }
}
