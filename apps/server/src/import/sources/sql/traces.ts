/**
 * Traces of one experiment as the reference's get-trace (v3) answers them: `SqlTraceInfo.to_mlflow_entity()` (tags,
 * request metadata less the keys promoted to columns, which come back from those columns; assessments), and the spans
 * stored in `spans.content` (`Span.to_dict()` JSON) as OpenTelemetry span JSON, root first then by start time.
 * Traces whose spans live in the artifact store (older clients, `mlflow.trace.spansLocation` not TRACKING_STORE) get
 * theirs from `traces.json` at the `mlflow.artifactLocation` tag when an artifact reader is at hand.
 * @see mlflow/store/tracking/dbmodels/models.py SqlTraceInfo; sqlalchemy_store.py get_trace, _get_spans_with_trace_info;
 *   mlflow/store/tracking/utils/trace_analytics.py compatibility_metadata_from_columns
 */
import { parseExactJson } from "@tracklite/client";
import type { AnyValue, Assessment, Span, TraceInfoV3, TraceState } from "@tracklite/schemas";
import {
  type ArtifactReader,
  apiSpanJsonFromDict,
  assessmentToWire,
  type ImportTrace,
  parseKeepingTimes,
  pyJsonDumps,
  pyJsonLoads,
  type SkippedItem,
} from "@tracklite/server/import";
import { durationJson, timestampJson } from "../file-store/proto-time.js";
import { normalizeSpanDict } from "../file-store/span-v2.js";
import type { SqlConnection, SqlRow } from "./connection.js";
import type { SchemaInfo } from "./schema-info.js";
import { num, text } from "./values.js";

/** Traces per streamed page; their tags, metadata, assessments and spans come in one query each. */
const BATCH = 50;

const TRACE_NAME = "mlflow.traceName";
const SPANS_LOCATION = "mlflow.trace.spansLocation";
const ARTIFACT_LOCATION = "mlflow.artifactLocation";
const SOURCE_RUN = "mlflow.sourceRun";
const SESSION = "mlflow.trace.session";
const TOKEN_USAGE = "mlflow.trace.tokenUsage";
const COST = "mlflow.trace.cost";
const PROMOTED = new Set([SESSION, TOKEN_USAGE, COST]);
const TOKEN_COLUMNS = [
  "input_tokens",
  "output_tokens",
  "total_tokens",
  "cache_read_input_tokens",
  "cache_creation_input_tokens",
  "cache_creation_input_tokens_above_1hr",
] as const;
const COST_COLUMNS = ["input_cost", "output_cost", "total_cost"] as const;
const STATES: readonly string[] = ["STATE_UNSPECIFIED", "OK", "ERROR", "IN_PROGRESS"];

function byTrace(rows: SqlRow[], column = "request_id"): Map<string, SqlRow[]> {
  const out = new Map<string, SqlRow[]>();
  for (const row of rows) {
    const id = String(row[column]);
    const list = out.get(id);
    if (list) list.push(row);
    else out.set(id, [row]);
  }
  return out;
}

/** `json.dumps` of the promoted columns that are set, as the reference rebuilds the metadata key from them. */
function columnsJson(row: SqlRow, columns: readonly string[], integers: boolean): string | undefined {
  const pairs: [string, { t: "int"; v: string } | { t: "float"; v: number }][] = [];
  for (const column of columns) {
    const value = num(row[column]);
    if (value === undefined) continue;
    pairs.push([column, integers ? { t: "int", v: String(Math.trunc(value)) } : { t: "float", v: value }]);
  }
  return pairs.length > 0 ? pyJsonDumps({ t: "dict", v: pairs }, true) : undefined;
}

function traceInfo(row: SqlRow, tags: SqlRow[], metadata: SqlRow[], assessments: Assessment[]): TraceInfoV3 {
  const id = String(row.request_id);
  const info: TraceInfoV3 = {
    trace_id: id,
    trace_location: { type: "MLFLOW_EXPERIMENT", mlflow_experiment: { experiment_id: String(row.experiment_id) } },
    request_time: timestampJson(num(row.timestamp_ms) ?? 0),
    state: (STATES.includes(String(row.status)) ? String(row.status) : "STATE_UNSPECIFIED") as TraceState,
  };
  const duration = num(row.execution_time_ms);
  if (duration !== undefined) info.execution_duration = durationJson(duration);
  const clientRequestId = text(row.client_request_id);
  if (clientRequestId !== undefined) info.client_request_id = clientRequestId;
  const requestPreview = text(row.request_preview);
  if (requestPreview !== undefined) info.request_preview = requestPreview;
  const responsePreview = text(row.response_preview);
  if (responsePreview !== undefined) info.response_preview = responsePreview;

  const meta: Record<string, string> = {};
  for (const m of metadata) if (!PROMOTED.has(String(m.key))) meta[String(m.key)] = text(m.value) ?? "";
  const session = text(row.session_id);
  if (session !== undefined) meta[SESSION] = session;
  const usage = columnsJson(row, TOKEN_COLUMNS, true);
  if (usage !== undefined) meta[TOKEN_USAGE] = usage;
  const cost = columnsJson(row, COST_COLUMNS, false);
  if (cost !== undefined) meta[COST] = cost;
  if (Object.keys(meta).length > 0) info.trace_metadata = meta;

  const tagMap: Record<string, string> = {};
  const hasNameColumn = "trace_name" in row;
  for (const t of tags) {
    if (hasNameColumn && t.key === TRACE_NAME) continue;
    tagMap[String(t.key)] = text(t.value) ?? "";
  }
  const name = text(row.trace_name);
  if (name !== undefined) tagMap[TRACE_NAME] = name;
  if (Object.keys(tagMap).length > 0) info.tags = tagMap;
  if (assessments.length > 0) info.assessments = assessments;
  return info;
}

type SpanDict = Parameters<typeof apiSpanJsonFromDict>[0];
type PyValue = NonNullable<ReturnType<typeof pyJsonLoads>>;

/** A decoded attribute as OTel's AnyValue (`_set_otel_proto_anyvalue`), ints as exact digit strings as the client reads them. */
function anyValue(value: PyValue): AnyValue {
  switch (value.t) {
    case "null":
      return {};
    case "str":
      return { string_value: value.v };
    case "bool":
      return { bool_value: value.v };
    case "int":
      return { int_value: value.v } as unknown as AnyValue;
    case "float":
      return { double_value: value.v };
    case "list":
      return { array_value: { values: value.v.map(anyValue) } };
    case "dict":
      return { kvlist_value: { values: value.v.map(([key, v]) => ({ key, value: anyValue(v) })) } };
  }
}

/**
 * Span dict JSON (`Span.to_dict()`) → the API's span, read exactly as the REST client reads get-trace. Attributes
 * (JSON texts) are decoded as Python does, so an int stays an int of every digit and `1.0` stays a double.
 */
function apiSpan(dict: SpanDict): Span {
  const span = parseExactJson(apiSpanJsonFromDict({ ...dict, attributes: {} })) as Span;
  const attributes = Object.entries(dict.attributes ?? {}).map(([key, raw]) => ({
    key,
    value: anyValue((typeof raw === "string" ? pyJsonLoads(raw) : undefined) ?? { t: "str", v: String(raw) }),
  }));
  if (attributes.length > 0) (span as { attributes?: unknown }).attributes = attributes;
  return span;
}

/** Every trace of `experimentId`, in pages of {@link BATCH} (keyset on the trace id). */
export async function* readTraces(
  db: SqlConnection,
  schema: SchemaInfo,
  experimentId: string,
  artifacts: ArtifactReader | undefined,
  skipped: SkippedItem[],
): AsyncIterable<ImportTrace> {
  if (!schema.has("trace_info")) return;
  const hasSpans = schema.has("spans");
  const hasAssessments = schema.has("assessments");
  const hasLinks = schema.has("entity_associations");
  let after = "";
  for (;;) {
    const rows = await db.all(
      `SELECT * FROM trace_info WHERE experiment_id = ? AND request_id > ? ORDER BY request_id LIMIT ${BATCH}`,
      [Number(experimentId), after],
    );
    if (rows.length === 0) return;
    after = String(rows[rows.length - 1]?.request_id);
    const ids = rows.map((r) => String(r.request_id));
    const marks = ids.map(() => "?").join(", ");
    const [tagRows, metaRows, assessmentRows, spanRows, linkRows] = await Promise.all([
      db.all(`SELECT request_id, key, value FROM trace_tags WHERE request_id IN (${marks})`, ids),
      db.all(`SELECT request_id, key, value FROM trace_request_metadata WHERE request_id IN (${marks})`, ids),
      hasAssessments
        ? db.all(`SELECT * FROM assessments WHERE trace_id IN (${marks}) ORDER BY created_timestamp`, ids)
        : Promise.resolve([]),
      hasSpans
        ? db.all(
            `SELECT trace_id, content, parent_span_id, start_time_unix_nano FROM spans WHERE trace_id IN (${marks})`,
            ids,
          )
        : Promise.resolve([]),
      hasLinks
        ? db.all(
            `SELECT source_id, destination_id FROM entity_associations
              WHERE source_type = 'trace' AND destination_type = 'run' AND source_id IN (${marks})`,
            ids,
          )
        : Promise.resolve([]),
    ]);
    const tags = byTrace(tagRows);
    const metadata = byTrace(metaRows);
    const assessments = byTrace(assessmentRows, "trace_id");
    const spans = byTrace(spanRows, "trace_id");
    const links = byTrace(linkRows, "source_id");
    for (const row of rows) {
      const id = String(row.request_id);
      const wire = (assessments.get(id) ?? []).map(
        (a) =>
          assessmentToWire({
            ...(a as unknown as Parameters<typeof assessmentToWire>[0]),
            trace_id: id,
            valid: a.valid === null || a.valid === undefined ? 1 : Number(a.valid) ? 1 : 0,
          }) as Assessment,
      );
      const info = traceInfo(row, tags.get(id) ?? [], metadata.get(id) ?? [], wire);
      const trace: ImportTrace = { trace: { trace_info: info, spans: [] } };
      if (info.tags?.[SPANS_LOCATION] === "TRACKING_STORE") {
        const stored = (spans.get(id) ?? []).filter((s) => text(s.content));
        stored.sort((a, b) => {
          const rootA = a.parent_span_id === null || a.parent_span_id === undefined ? 0 : 1;
          const rootB = b.parent_span_id === null || b.parent_span_id === undefined ? 0 : 1;
          if (rootA !== rootB) return rootA - rootB;
          const sa = BigInt(String(a.start_time_unix_nano ?? 0));
          const sb = BigInt(String(b.start_time_unix_nano ?? 0));
          return sa < sb ? -1 : sa > sb ? 1 : 0;
        });
        trace.trace.spans = stored.map((s) => apiSpan(parseKeepingTimes(String(s.content)) as SpanDict));
        if (stored.length === 0) {
          // the reference answers "not fully exported yet" for such a trace: its info comes over, without spans
          skipped.push({ what: `spans of trace ${id}`, reason: "none in the spans table (not fully exported)" });
        }
      } else {
        trace.trace.spans = await artifactSpans(info, artifacts, skipped);
      }
      const runs = new Set((links.get(id) ?? []).map((l) => String(l.destination_id)));
      const sourceRun = info.trace_metadata?.[SOURCE_RUN];
      if (sourceRun) runs.add(sourceRun);
      if (runs.size > 0) trace.linked_run_ids = [...runs];
      yield trace;
    }
  }
}

/** Spans from the trace's `traces.json` in the artifact store; none (reported) when it cannot be read. */
async function artifactSpans(
  info: TraceInfoV3,
  artifacts: ArtifactReader | undefined,
  skipped: SkippedItem[],
): Promise<Span[]> {
  const location = info.tags?.[ARTIFACT_LOCATION];
  const what = `spans of trace ${info.trace_id}`;
  if (!location || !artifacts) {
    skipped.push({ what, reason: "stored in the artifact store, which this import cannot read" });
    return [];
  }
  try {
    const body = await new Response(await artifacts.open(location, "traces.json")).text();
    // MLflow 2.x's span dicts hold their nanosecond times in start_time/end_time: keep every digit of those too.
    const data = parseKeepingTimes(body.replace(/"(start_time|end_time)"\s*:\s*(-?\d+)/g, '"$1":"$2"'));
    const spans = (data as { spans?: unknown }).spans;
    if (!Array.isArray(spans)) throw new Error("no spans list");
    return spans.map((s) => apiSpan(normalizeSpanDict(s) as SpanDict));
  } catch (error) {
    skipped.push({ what, reason: `no readable traces.json at ${location} (${(error as Error).message})` });
    return [];
  }
}

/** Traces of the picked experiments. */
export async function countTraces(db: SqlConnection, schema: SchemaInfo, experimentIds?: string[]): Promise<number> {
  if (!schema.has("trace_info") || experimentIds?.length === 0) return 0;
  const where = experimentIds ? ` WHERE experiment_id IN (${experimentIds.map(() => "?").join(", ")})` : "";
  const rows = await db.all(`SELECT COUNT(*) AS n FROM trace_info${where}`, (experimentIds ?? []).map(Number));
  return Number(rows[0]?.n ?? 0);
}
