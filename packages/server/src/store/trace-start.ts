import type { InStatement } from "@libsql/client";
import type { TraceInfoV3, TraceInfoV3Input, TraceState } from "@tracklite/schemas";
import { invalidParameter, notFound } from "../errors.js";
import { CACHE_TOKEN_KEYS, costJson, type TOKEN_KEYS, tokenCount, tokenUsageJson } from "../traces/otlp/aggregate.js";
import { pyJsonLoads } from "../traces/otlp/any-value.js";
import { checkLength } from "../validation/validate.js";
import { assessmentInserts, loadAssessments } from "./assessments.js";
import type { DbHandle } from "./db.js";
import type { ExperimentStore } from "./experiments.js";
import { appendToUri } from "./ids.js";
import { TRACE_KEYS } from "./trace-keys.js";
import { loadTraceInfos, traceRowsByIds } from "./trace-loader.js";

const STATES: readonly TraceState[] = ["STATE_UNSPECIFIED", "OK", "ERROR", "IN_PROGRESS"];
const TRACE_ROW = "(SELECT id FROM trace_info WHERE request_id = ?)";

/** A proto Timestamp's JSON form ("2025-04-15T08:49:18.699Z") in milliseconds; 0 when absent. */
function timestampMs(text: string | undefined): number {
  if (!text) return 0;
  const ms = Date.parse(text);
  if (Number.isNaN(ms)) throw invalidParameter(`Invalid timestamp: ${text}`);
  // Date.parse keeps milliseconds only; a finer fraction is cut, as Timestamp.ToMilliseconds floors.
  return ms;
}

/** A proto Duration's JSON form ("1.5s") in milliseconds (floored, as Duration.ToMilliseconds); undefined when absent. */
function durationMs(text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const m = /^(-)?(\d+)(?:\.(\d{1,9}))?s$/.exec(text);
  if (!m) throw invalidParameter(`Invalid duration: ${text}`);
  const ms = Number(m[2]) * 1000 + Math.floor(Number((m[3] ?? "").padEnd(9, "0")) / 1_000_000);
  return m[1] ? -ms : ms;
}

/** An object's valid token counts / finite costs, read from metadata JSON as `_json_object` reads it. */
function jsonObjectNumbers(text: string | undefined): Map<string, number | null> {
  const out = new Map<string, number | null>();
  const v = text === undefined ? undefined : pyJsonLoads(text);
  if (v?.t !== "dict") return out;
  for (const [k, x] of v.v) out.set(k, x.t === "int" || x.t === "float" ? Number(x.v) : null);
  return out;
}

/**
 * StartTraceV3 (`POST /api/3.0/mlflow/traces`), which the client calls when a trace ends: creates the trace info, or
 * merges into the one its spans created (they may arrive first over `/v1/traces`), and marks it finalized
 * (`mlflow.trace.infoFinalized`) so later spans no longer move its time range or recount its usage.
 *
 * tracklite keeps `mlflow.trace.session`, `mlflow.trace.tokenUsage` and `mlflow.trace.cost` as metadata rows written in
 * the form the reference answers them (rebuilt from its columns), and copies the session, the token counts and the
 * trace name into trace_info's columns for search.
 * @see mlflow/store/tracking/sqlalchemy_store.py SqlAlchemyStore._start_trace_once
 */
export class TraceStartStore {
  constructor(
    private readonly h: DbHandle,
    private readonly experiments: ExperimentStore,
  ) {}

  async startTrace(info: TraceInfoV3Input): Promise<TraceInfoV3> {
    const traceId = info.trace_id ?? "";
    const tags = { ...(info.tags ?? {}) };
    const metadata = { ...(info.trace_metadata ?? {}) };
    const traceName =
      tags[TRACE_KEYS.TRACE_NAME] !== undefined
        ? checkLength("Trace name", 4096, tags[TRACE_KEYS.TRACE_NAME])
        : undefined;
    const session =
      metadata[TRACE_KEYS.SESSION] !== undefined
        ? checkLength("Session ID", 250, metadata[TRACE_KEYS.SESSION])
        : undefined;
    const usage = jsonObjectNumbers(metadata[TRACE_KEYS.TOKEN_USAGE]);
    const cost = jsonObjectNumbers(metadata[TRACE_KEYS.COST]);
    const state =
      typeof info.state === "number"
        ? (STATES[info.state] ?? "STATE_UNSPECIFIED")
        : (info.state ?? "STATE_UNSPECIFIED");
    const requestTime = timestampMs(info.request_time);
    const execution = durationMs(info.execution_duration);
    for (const key of [TRACE_KEYS.SESSION, TRACE_KEYS.TOKEN_USAGE, TRACE_KEYS.COST]) delete metadata[key];
    metadata[TRACE_KEYS.INFO_FINALIZED] = "true";

    await this.h.writer.run(async () => {
      const experiment = await this.experiments.row(info.trace_location?.mlflow_experiment?.experiment_id);
      if (experiment.lifecycleStage !== "active") {
        throw invalidParameter(
          `The experiment ${experiment.experimentId} must be in the 'active' state. Current state is ${experiment.lifecycleStage}.`,
        );
      }
      tags[TRACE_KEYS.ARTIFACT_LOCATION] = appendToUri(experiment.artifactLocation, "traces", traceId, "artifacts");
      const existing = await this.h.client.execute({
        sql: "SELECT input_tokens, output_tokens, total_tokens, session_id FROM trace_info WHERE request_id = ?",
        args: [traceId],
      });
      const old = existing.rows[0];
      // The token columns after the write: the request's keys replace the stored ones, others stay.
      const tokens = new Map<string, number>();
      for (const [k, col] of [
        ["input_tokens", "input_tokens"],
        ["output_tokens", "output_tokens"],
        ["total_tokens", "total_tokens"],
      ] as const) {
        const v = usage.has(k) ? tokenCount(usage.get(k) ?? undefined) : (old?.[col] as number | null | undefined);
        if (v !== undefined && v !== null) tokens.set(k, v);
      }
      for (const k of CACHE_TOKEN_KEYS) {
        const v = tokenCount(usage.get(k) ?? undefined);
        if (v !== undefined) tokens.set(k, v);
      }
      const usageText = tokenUsageJson(tokens);
      const costs = new Map<string, number>();
      for (const [k, v] of cost) if (v !== null) costs.set(k, v);
      const costText = costJson(costs);
      const col = (k: (typeof TOKEN_KEYS)[number]) =>
        usage.has(k) ? (tokenCount(usage.get(k) ?? undefined) ?? null) : undefined;

      const stmts: InStatement[] = [];
      const values = {
        rid: traceId,
        exp: experiment.experimentId,
        ts: requestTime,
        exec: execution ?? null,
        state,
        client: info.client_request_id ?? null,
        req: info.request_preview ?? null,
        resp: info.response_preview ?? null,
        name: traceName ?? null,
        session: session ?? null,
        inTok: col("input_tokens") ?? null,
        outTok: col("output_tokens") ?? null,
        totTok: col("total_tokens") ?? null,
      };
      if (!old) {
        stmts.push({
          sql: `INSERT INTO trace_info (request_id, experiment_id, timestamp_ms, execution_time_ms, status,
                  client_request_id, request_preview, response_preview, trace_name, session_id, input_tokens,
                  output_tokens, total_tokens)
                VALUES (:rid, :exp, :ts, :exec, :state, :client, :req, :resp, :name, :session, :inTok, :outTok, :totTok)`,
          args: values,
        });
      } else {
        // The trace exists (its spans came first): the request's top-level fields win; previews, name, session and
        // token counts only where the request has them.
        stmts.push({
          sql: `UPDATE trace_info SET experiment_id = :exp, timestamp_ms = :ts, execution_time_ms = :exec,
                  status = :state, client_request_id = :client,
                  request_preview = COALESCE(:req, request_preview), response_preview = COALESCE(:resp, response_preview),
                  trace_name = CASE WHEN :hasName THEN :name ELSE trace_name END,
                  session_id = CASE WHEN :hasSession THEN :session ELSE session_id END,
                  input_tokens = CASE WHEN :hasIn THEN :inTok ELSE input_tokens END,
                  output_tokens = CASE WHEN :hasOut THEN :outTok ELSE output_tokens END,
                  total_tokens = CASE WHEN :hasTot THEN :totTok ELSE total_tokens END
                WHERE request_id = :rid`,
          args: {
            ...values,
            hasName: traceName !== undefined ? 1 : 0,
            hasSession: session !== undefined ? 1 : 0,
            hasIn: usage.has("input_tokens") ? 1 : 0,
            hasOut: usage.has("output_tokens") ? 1 : 0,
            hasTot: usage.has("total_tokens") ? 1 : 0,
          },
        });
      }
      const upsert = (table: string, key: string, value: string) =>
        stmts.push({
          sql: `INSERT INTO ${table} (trace_row, key, value) VALUES (${TRACE_ROW}, ?, ?)
                ON CONFLICT (trace_row, key) DO UPDATE SET value = excluded.value`,
          args: [traceId, key, value],
        });
      for (const [k, v] of Object.entries(tags)) upsert("trace_tags", k, v);
      for (const [k, v] of Object.entries(metadata).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
        upsert("trace_request_metadata", k, v);
      }
      const promoted: [string, string | undefined, boolean][] = [
        [TRACE_KEYS.SESSION, session ?? (old?.session_id as string | null | undefined) ?? undefined, true],
        [TRACE_KEYS.TOKEN_USAGE, usageText, usage.size > 0 || !old],
        [TRACE_KEYS.COST, costText, cost.size > 0 || !old],
      ];
      for (const [key, value, decides] of promoted) {
        if (value !== undefined) upsert("trace_request_metadata", key, value);
        else if (decides) {
          stmts.push({
            sql: `DELETE FROM trace_request_metadata WHERE trace_row = ${TRACE_ROW} AND key = ?`,
            args: [traceId, key],
          });
        }
      }
      await this.h.client.batch(stmts, "write");
      // Assessments sent with the trace are stored with it, as the reference's start_trace does.
      const assessments = info.assessments ?? [];
      if (assessments.length > 0) {
        const [row] = await traceRowsByIds(this.h, [traceId]);
        if (row) await this.h.client.batch(assessmentInserts(row.id, assessments, Date.now()), "write");
      }
    });
    const [loaded] = await loadTraceInfos(this.h, await traceRowsByIds(this.h, [traceId]), loadAssessments);
    if (!loaded) throw notFound(`Trace with ID '${traceId}' not found.`);
    return loaded;
  }
}
