import type { Assessment, TraceInfoV2, TraceInfoV3, TraceState, TraceStatus } from "@tracklite/schemas";
import { sqlList } from "../sql/in-list.js";
import type { DbHandle } from "./db.js";

/**
 * Trace rows → the wire's TraceInfoV3 (and the v2 form): one query per child table for any number of traces.
 * @see mlflow/store/tracking/sqlalchemy_store.py _build_trace_infos_from_rows, mlflow/entities/trace_info.py to_proto
 */

/** The trace_info columns a loader needs, as selected by TRACE_COLUMNS. */
export interface TraceRow {
  id: number;
  request_id: string;
  experiment_id: number;
  timestamp_ms: number;
  execution_time_ms: number | null;
  status: string;
  client_request_id: string | null;
  request_preview: string | null;
  response_preview: string | null;
  trace_name: string | null;
  session_id: string | null;
  input_tokens: number | null;
  output_tokens: number | null;
  total_tokens: number | null;
}

export const TRACE_COLUMNS = `t.id, t.request_id, t.experiment_id, t.timestamp_ms, t.execution_time_ms, t.status,
  t.client_request_id, t.request_preview, t.response_preview, t.trace_name, t.session_id, t.input_tokens,
  t.output_tokens, t.total_tokens`;

/** Tag and metadata keys the reference keeps in trace_info columns and puts back when it reads a trace. */
export const TRACE_NAME_TAG = "mlflow.traceName";
export const SESSION_METADATA = "mlflow.trace.session";
export const TOKEN_USAGE_METADATA = "mlflow.trace.tokenUsage";

/**
 * The trace_info columns the reference fills from a trace's metadata (session id, token counts); the metadata keys
 * themselves are stored too. @see mlflow/store/tracking/utils/trace_analytics.py analytics_columns_from_metadata
 */
export interface AnalyticsColumns {
  session_id?: string;
  input_tokens?: number | null;
  output_tokens?: number | null;
  total_tokens?: number | null;
}

const TOKEN_KEYS = ["input_tokens", "output_tokens", "total_tokens"] as const;

/** A token count as the reference keeps one: an integer (a JSON number or numeric string), else none. */
function tokenCount(v: unknown): number | null {
  if (v === null || v === undefined || typeof v === "boolean") return null;
  const n = typeof v === "number" ? v : typeof v === "string" && v.trim() !== "" ? Number(v) : Number.NaN;
  return Number.isSafeInteger(n) ? n : null;
}

export function analyticsColumns(metadata: ReadonlyMap<string, string> | Record<string, string>): AnalyticsColumns {
  const get = (k: string) => (metadata instanceof Map ? metadata.get(k) : (metadata as Record<string, string>)[k]);
  const out: AnalyticsColumns = {};
  const session = get(SESSION_METADATA);
  if (session !== undefined) out.session_id = session;
  const usage = get(TOKEN_USAGE_METADATA);
  if (usage !== undefined) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(usage);
    } catch {
      parsed = undefined;
    }
    if (parsed && typeof parsed === "object" && !Array.isArray(parsed)) {
      for (const k of TOKEN_KEYS) if (k in parsed) out[k] = tokenCount((parsed as Record<string, unknown>)[k]);
    }
  }
  return out;
}

/** Python's `json.dumps` separators, for the metadata the reference rebuilds from columns. */
const pyJson = (o: Record<string, number>) =>
  `{${Object.entries(o)
    .map(([k, v]) => `${JSON.stringify(k)}: ${v}`)
    .join(", ")}}`;

/** Per-value limits of the reference's TraceInfo.to_proto (`_truncate_request_metadata`, `_truncate_tags`). */
const METADATA_MAX_CHARS = 250;
const TAG_KEY_MAX_CHARS = 250;
const TAG_VALUE_MAX_CHARS = 4096;

/** Python's `s[:n]`: code points, not UTF-16 units. */
function pyTruncate(s: string, n: number): string {
  if (s.length <= n) return s;
  const cps = Array.from(s);
  return cps.length <= n ? s : cps.slice(0, n).join("");
}

/** A protobuf Timestamp's JSON from milliseconds: RFC 3339, with 3 fraction digits unless they are all zero. */
export function timestampJson(ms: number): string {
  const iso = new Date(ms).toISOString();
  return ms % 1000 === 0 ? iso.replace(/\.000Z$/, "Z") : iso;
}

/** A protobuf Duration's JSON from milliseconds ("0.002s", "3s", "1.500s"). */
export function durationJson(ms: number): string {
  const sign = ms < 0 ? "-" : "";
  const abs = Math.abs(ms);
  const seconds = Math.floor(abs / 1000);
  const frac = abs % 1000;
  return `${sign}${seconds}${frac === 0 ? "" : `.${String(frac).padStart(3, "0")}`}s`;
}

/** Reads `assessments` of many traces at once, in wire form (the assessments store provides it). */
export type AssessmentLoader = (h: DbHandle, traceRows: number[]) => Promise<Map<number, Assessment[]>>;

type KeyValues = Map<number, Map<string, string>>;

async function keyValues(h: DbHandle, table: string, ids: number[]): Promise<KeyValues> {
  const out: KeyValues = new Map();
  if (ids.length === 0) return out;
  const list = sqlList(ids);
  const rs = await h.client.execute({
    sql: `SELECT trace_row, key, value FROM ${table} WHERE trace_row IN ${list.sql}`,
    args: list.args,
  });
  for (const r of rs.rows) {
    const row = Number(r.trace_row);
    let m = out.get(row);
    if (!m) {
      m = new Map();
      out.set(row, m);
    }
    m.set(String(r.key), r.value === null ? "" : String(r.value));
  }
  return out;
}

/** The fields of a trace both wire forms are made of. */
interface LoadedTrace {
  row: TraceRow;
  tags: Map<string, string>;
  metadata: Map<string, string>;
  assessments: Assessment[];
}

async function load(h: DbHandle, rows: TraceRow[], assessments?: AssessmentLoader): Promise<LoadedTrace[]> {
  const ids = rows.map((r) => r.id);
  const [tags, metadata, byTrace] = await Promise.all([
    keyValues(h, "trace_tags", ids),
    keyValues(h, "trace_request_metadata", ids),
    assessments && ids.length > 0 ? assessments(h, ids) : Promise.resolve(new Map<number, Assessment[]>()),
  ]);
  return rows.map((row) => {
    const t = new Map(tags.get(row.id));
    if (row.trace_name !== null) t.set(TRACE_NAME_TAG, row.trace_name);
    const m = new Map(metadata.get(row.id));
    // The promoted metadata, rebuilt from the columns as the reference does (compatibility_metadata_from_columns).
    if (row.session_id !== null) m.set(SESSION_METADATA, row.session_id);
    const usage: Record<string, number> = {};
    if (row.input_tokens !== null) usage.input_tokens = row.input_tokens;
    if (row.output_tokens !== null) usage.output_tokens = row.output_tokens;
    if (row.total_tokens !== null) usage.total_tokens = row.total_tokens;
    if (Object.keys(usage).length > 0 && !m.has(TOKEN_USAGE_METADATA)) m.set(TOKEN_USAGE_METADATA, pyJson(usage));
    return { row, tags: t, metadata: m, assessments: byTrace.get(row.id) ?? [] };
  });
}

function truncatedMap(m: Map<string, string>, keyMax: number, valueMax: number): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of m) out[pyTruncate(k, keyMax)] = pyTruncate(v, valueMax);
  return out;
}

const STATES: readonly string[] = ["STATE_UNSPECIFIED", "OK", "ERROR", "IN_PROGRESS"];
const stateOf = (status: string): TraceState => (STATES.includes(status) ? status : "STATE_UNSPECIFIED") as TraceState;

function toV3(t: LoadedTrace): TraceInfoV3 {
  const { row } = t;
  const info: TraceInfoV3 = {
    trace_id: row.request_id,
    trace_location: { type: "MLFLOW_EXPERIMENT", mlflow_experiment: { experiment_id: String(row.experiment_id) } },
    request_time: timestampJson(row.timestamp_ms),
    state: stateOf(row.status),
  };
  if (row.client_request_id) info.client_request_id = row.client_request_id;
  if (row.request_preview) info.request_preview = row.request_preview;
  if (row.response_preview) info.response_preview = row.response_preview;
  if (row.execution_time_ms !== null) info.execution_duration = durationJson(row.execution_time_ms);
  if (t.metadata.size > 0) info.trace_metadata = truncatedMap(t.metadata, METADATA_MAX_CHARS, METADATA_MAX_CHARS);
  if (t.assessments.length > 0) info.assessments = t.assessments;
  if (t.tags.size > 0) info.tags = truncatedMap(t.tags, TAG_KEY_MAX_CHARS, TAG_VALUE_MAX_CHARS);
  return info;
}

const STATUS_OF_STATE: Record<TraceState, TraceStatus> = {
  STATE_UNSPECIFIED: "TRACE_STATUS_UNSPECIFIED",
  OK: "OK",
  ERROR: "ERROR",
  IN_PROGRESS: "IN_PROGRESS",
};

const keyValueList = (m: Record<string, string> | undefined) =>
  Object.entries(m ?? {}).map(([key, value]) => ({ key, value }));

/** The v2 form (`TraceInfoV2.from_v3(...).to_proto()`): millisecond times, lists of key/value pairs. */
function toV2(t: LoadedTrace): TraceInfoV2 {
  const { row } = t;
  const info: TraceInfoV2 = {
    request_id: row.request_id,
    experiment_id: String(row.experiment_id),
    timestamp_ms: row.timestamp_ms,
    execution_time_ms: row.execution_time_ms ?? 0,
    status: STATUS_OF_STATE[stateOf(row.status)],
  };
  const metadata = keyValueList(truncatedMap(t.metadata, METADATA_MAX_CHARS, METADATA_MAX_CHARS));
  const tags = keyValueList(truncatedMap(t.tags, TAG_KEY_MAX_CHARS, TAG_VALUE_MAX_CHARS));
  if (metadata.length > 0) info.request_metadata = metadata;
  if (tags.length > 0) info.tags = tags;
  return info;
}

/** Wire TraceInfoV3s of the rows, in their order. */
export async function loadTraceInfos(
  h: DbHandle,
  rows: TraceRow[],
  assessments?: AssessmentLoader,
): Promise<TraceInfoV3[]> {
  return (await load(h, rows, assessments)).map(toV3);
}

/** Wire v2 TraceInfos of the rows, in their order (v2 has no assessments). */
export async function loadTraceInfosV2(h: DbHandle, rows: TraceRow[]): Promise<TraceInfoV2[]> {
  return (await load(h, rows)).map(toV2);
}

/** The rows of the given trace ids (MLflow's `tr-…`), in no particular order; unknown ids are left out. */
export async function traceRowsByIds(h: DbHandle, traceIds: readonly string[], scopeSql = ""): Promise<TraceRow[]> {
  if (traceIds.length === 0) return [];
  const list = sqlList([...traceIds]);
  const rs = await h.client.execute({
    sql: `SELECT ${TRACE_COLUMNS} FROM trace_info t WHERE t.request_id IN ${list.sql}${scopeSql}`,
    args: list.args,
  });
  return rs.rows as unknown as TraceRow[];
}

/** The rows of the given row ids, in the ids' order (a search's page). */
export async function traceRowsByRowIds(h: DbHandle, ids: readonly number[]): Promise<TraceRow[]> {
  if (ids.length === 0) return [];
  const list = sqlList([...ids]);
  const rs = await h.client.execute({
    sql: `SELECT ${TRACE_COLUMNS} FROM trace_info t WHERE t.id IN ${list.sql}`,
    args: list.args,
  });
  const byId = new Map((rs.rows as unknown as TraceRow[]).map((r) => [r.id, r]));
  return ids.flatMap((id) => {
    const r = byId.get(id);
    return r ? [r] : [];
  });
}
