import type { InValue } from "@libsql/client";
import type { TraceInfoV2, TraceInfoV3 } from "@tracklite/schemas";
import { invalidParameter, MlflowError, notFound } from "../errors.js";
import { sqlList } from "../sql/in-list.js";
import { checkKeyShape, checkLength, pyRepr } from "../validation/validate.js";
import type { DbHandle } from "./db.js";
import { checkActive, type ExperimentStore } from "./experiments.js";
import { appendToUri } from "./ids.js";
import { type SearchTracesArgs, searchTraces } from "./search-traces.js";
import {
  type AssessmentLoader,
  analyticsColumns,
  loadTraceInfos,
  loadTraceInfosV2,
  TRACE_COLUMNS,
  TRACE_NAME_TAG,
  type TraceRow,
  traceRowsByIds,
  traceRowsByRowIds,
} from "./trace-loader.js";
import { experimentInWorkspace, experimentsInWorkspace } from "./workspace-scope.js";

/**
 * Reading traces (info, spans), their tags, deleting them and linking them to runs and prompts. Writing traces
 * (start, spans) is in trace-spans.ts; searching in search-traces.ts; assessments in assessments.ts.
 * @see mlflow/store/tracking/sqlalchemy_store.py (the "Traces" section)
 */

/** Tags only the server writes. @see mlflow/server/handlers.py _HANDLER_BLOCKED_TRACE_TAGS */
const SPANS_LOCATION_TAG = "mlflow.trace.spansLocation";
const ARCHIVE_LOCATION_TAG = "mlflow.trace.archiveLocation";
const ARCHIVAL_FAILURE_TAG = "mlflow.trace.archivalFailure";
const BLOCKED_TAGS = new Set([SPANS_LOCATION_TAG, ARCHIVE_LOCATION_TAG, ARCHIVAL_FAILURE_TAG]);
const DELETABLE_BLOCKED_TAGS = new Set([ARCHIVAL_FAILURE_TAG]);
const SIZE_STATS_METADATA = "mlflow.trace.sizeStats";

const TRACE_TAG_KEY_MAX = 250;
const TRACE_TAG_VALUE_MAX = 8000;
/** A trace name's limit (MAX_CHARS_IN_TRACE_INFO_TAGS_VALUE). */
const TRACE_TAG_VALUE_MAX_NAME = 4096;
const ARTIFACT_LOCATION_TAG = "mlflow.artifactLocation";
/** @see mlflow/store/tracking/__init__.py MAX_TRACE_LINKS_PER_REQUEST */
const MAX_TRACE_LINKS_PER_REQUEST = 100;

/** Where spans not in the database may be found (the artifact store's traces.json): their API JSON texts. */
export type SpanSource = (info: TraceInfoV3) => Promise<string[] | undefined>;

export interface DeleteTracesArgs {
  experimentId: string;
  maxTimestampMillis?: number | undefined;
  maxTraces?: number | undefined;
  traceIds?: string[] | undefined;
}

/** How many times, and after how long, a get waits for a trace's spans to arrive (the reference: 1 s, then 2 s). */
const PARTIAL_RETRY_DELAYS_MS = [1000, 2000];

/** The handler-level check of set/delete on system tags. */
export function checkTraceTagMutation(key: string, operation: "set" | "deleted"): void {
  if (BLOCKED_TAGS.has(key) && !(operation === "deleted" && DELETABLE_BLOCKED_TAGS.has(key))) {
    throw invalidParameter(`Tag '${key}' is immutable and cannot be ${operation} on a trace.`);
  }
}

export class TraceStore {
  constructor(
    private readonly h: DbHandle,
    private readonly experiments: ExperimentStore,
    private readonly assessments?: AssessmentLoader,
    /** Where an archived trace's spans are read (`--trace-archival-config` moved them out of the database). */
    private readonly archived?: SpanSource,
  ) {}

  /** The spans of a trace: the archive's for an archived trace, else the database's, else `elsewhere`'s. */
  private async spansOf(info: TraceInfoV3, stored: string[], elsewhere?: SpanSource): Promise<string[]> {
    const location = info.tags?.[SPANS_LOCATION_TAG];
    if (location === "ARCHIVE_REPO" && this.archived) return (await this.archived(info)) ?? [];
    // Spans the client logged to the artifact store only (tracklite serves them; the reference leaves it to clients).
    if (stored.length === 0 && elsewhere && location !== "TRACKING_STORE") return (await elsewhere(info)) ?? [];
    return stored;
  }

  /** ` AND` the trace's experiment is in the request's workspace (nothing when workspaces are off). */
  private get scope() {
    return experimentInWorkspace(this.h, "t.experiment_id");
  }

  /** The trace's row, or undefined. */
  async findRow(traceId: string): Promise<TraceRow | undefined> {
    const scope = this.scope;
    const rs = await this.h.client.execute({
      sql: `SELECT ${TRACE_COLUMNS} FROM trace_info t WHERE t.request_id = ?${scope.sql}`,
      args: [traceId, ...scope.args],
    });
    return rs.rows[0] as unknown as TraceRow | undefined;
  }

  /** The trace's row; the reference's "Trace with ID '…' not found." otherwise. */
  async row(traceId: string): Promise<TraceRow> {
    const row = await this.findRow(traceId);
    if (!row) throw notFound(`Trace with ID '${traceId}' not found.`);
    return row;
  }

  async getInfo(traceId: string): Promise<TraceInfoV3> {
    const [info] = await loadTraceInfos(this.h, [await this.row(traceId)], this.assessments);
    return info as TraceInfoV3;
  }

  async getInfoV2(traceId: string): Promise<TraceInfoV2> {
    const [info] = await loadTraceInfosV2(this.h, [await this.row(traceId)]);
    return info as TraceInfoV2;
  }

  /** search_traces (v3): a page of trace infos and the next page's token. @see search-traces.ts */
  async search(args: SearchTracesArgs): Promise<{ traces: TraceInfoV3[]; nextPageToken?: string }> {
    const page = await searchTraces(this.h, args);
    const rows = await traceRowsByRowIds(
      this.h,
      page.traces.map((t) => t.id),
    );
    const traces = await loadTraceInfos(this.h, rows, this.assessments);
    return { traces, ...(page.nextPageToken ? { nextPageToken: page.nextPageToken } : {}) };
  }

  /** MLflow 2's search_traces: the same page in v2 form. */
  async searchV2(args: SearchTracesArgs): Promise<{ traces: TraceInfoV2[]; nextPageToken?: string }> {
    const page = await searchTraces(this.h, args);
    const traces = await loadTraceInfosV2(
      this.h,
      await traceRowsByRowIds(
        this.h,
        page.traces.map((t) => t.id),
      ),
    );
    return { traces, ...(page.nextPageToken ? { nextPageToken: page.nextPageToken } : {}) };
  }

  /** Trace infos of the ids that exist (optionally in the experiments), in the ids' order. */
  async batchGetInfos(traceIds: string[], experimentIds?: string[]): Promise<TraceInfoV3[]> {
    return loadTraceInfos(this.h, await this.batchRows(traceIds, experimentIds), this.assessments);
  }

  /**
   * `{"trace": {...}}` as JSON text: the spans go out as stored (their nanosecond times are exact integers no JS
   * number holds). Unless `allowPartial`, a trace whose size stats promise more spans than have arrived is waited
   * for, then refused, as the reference does.
   */
  async getTraceJson(traceId: string, allowPartial: boolean, elsewhere?: SpanSource): Promise<string> {
    const row = await this.findRow(traceId);
    if (!row) throw notFound(`Trace with ID ${traceId} is not found.`);
    for (let attempt = 0; ; attempt++) {
      const [info] = await loadTraceInfos(this.h, [row], this.assessments);
      const stored = (await this.spanContents([row.id])).get(row.id) ?? [];
      const contents = await this.spansOf(info as TraceInfoV3, stored, elsewhere);
      // Spans from an archive or traces.json are all there is: no waiting for more.
      if (contents !== stored && contents.length > 0) return traceJson(info as TraceInfoV3, contents);
      if (allowPartial || (contents.length > 0 && isComplete(info as TraceInfoV3, contents.length))) {
        return traceJson(info as TraceInfoV3, contents);
      }
      const delay = PARTIAL_RETRY_DELAYS_MS[attempt];
      if (delay === undefined) {
        throw notFound(`Trace with ID ${traceId} is not fully exported yet, please try again later.`);
      }
      await new Promise((r) => setTimeout(r, delay));
    }
  }

  /** `{"traces": [...]}` as JSON text, for the ids that exist, in the ids' order. */
  async batchGetJson(traceIds: string[], experimentIds?: string[], elsewhere?: SpanSource): Promise<string> {
    const rows = await this.batchRows(traceIds, experimentIds);
    const [infos, spans] = await Promise.all([
      loadTraceInfos(this.h, rows, this.assessments),
      this.spanContents(rows.map((r) => r.id)),
    ]);
    const traces = await Promise.all(
      rows.map(async (r, i) => {
        const info = infos[i] as TraceInfoV3;
        return traceJson(info, await this.spansOf(info, spans.get(r.id) ?? [], elsewhere));
      }),
    );
    return `{"traces":[${traces.join(",")}]}`;
  }

  /**
   * One page of a trace's span tree in columns, as JSON text: SQLite builds the arrays (a 50,000-span page is one
   * row, no per-span objects in JS). Pages in span id order (keyset: a deep page costs what the first does). Times
   * in microseconds: nanoseconds do not fit a JS number.
   */
  async spanTreeJson(traceId: string, maxResults: number, pageToken?: string): Promise<string> {
    const row = await this.row(traceId);
    const after = pageToken === undefined ? undefined : decodeSpanToken(pageToken);
    const where = `trace_row = ?${after === undefined ? "" : " AND span_id > ?"}`;
    const args = after === undefined ? [row.id] : [row.id, after];
    const rs = await this.h.client.execute({
      sql: `SELECT json_group_array(span_id) AS span_ids, json_group_array(parent_span_id) AS parent_ids,
              json_group_array(name) AS names, json_group_array(type) AS types, json_group_array(status) AS statuses,
              json_group_array(start_us) AS start_us, json_group_array(end_us) AS end_us, max(span_id) AS last,
              count(*) AS n
            FROM (SELECT span_id, parent_span_id, name, type, status, start_time_unix_nano / 1000 AS start_us,
                    CASE WHEN end_time_unix_nano > 0 THEN end_time_unix_nano / 1000 END AS end_us
                  FROM spans WHERE ${where} ORDER BY span_id LIMIT ?)`,
      args: [...args, maxResults],
    });
    const r = rs.rows[0] as unknown as Record<string, string | number | null>;
    let next = "";
    if (Number(r.n) === maxResults && r.last !== null) {
      const more = await this.h.client.execute({
        sql: "SELECT 1 FROM spans WHERE trace_row = ? AND span_id > ? LIMIT 1",
        args: [row.id, String(r.last)],
      });
      if (more.rows.length > 0) next = `,"next_page_token":${JSON.stringify(encodeSpanToken(String(r.last)))}`;
    }
    const columns = ["span_ids", "parent_ids", "names", "types", "statuses", "start_us", "end_us"] as const;
    return `{${columns.map((c) => `"${c}":${r[c]}`).join(",")}${next}}`;
  }

  /** The stored contents of some spans of a trace (ids in hex), in the order asked. */
  async spansById(traceId: string, spanIds: string[]): Promise<string[]> {
    const row = await this.row(traceId);
    if (spanIds.length === 0) return [];
    const list = sqlList(spanIds);
    const rs = await this.h.client.execute({
      sql: `SELECT span_id, content FROM spans WHERE trace_row = ? AND span_id IN ${list.sql} AND content != ''`,
      args: [row.id, ...list.args],
    });
    const byId = new Map(rs.rows.map((r) => [String(r.span_id), String(r.content)]));
    return spanIds.flatMap((id) => {
      const c = byId.get(id);
      return c === undefined ? [] : [c];
    });
  }

  /** The stored (API form) span contents of one trace, root first; for get-trace-artifact. */
  async storedSpans(traceRow: number): Promise<string[]> {
    return (await this.spanContents([traceRow])).get(traceRow) ?? [];
  }

  private async batchRows(traceIds: string[], experimentIds?: string[]): Promise<TraceRow[]> {
    let extra = "";
    const args: InValue[] = [];
    if (experimentIds !== undefined) {
      const ids = await experimentsInWorkspace(this.h, experimentIds);
      for (const id of ids) {
        if (!/^-?\d+$/.test(id)) {
          throw invalidParameter(`Invalid experiment ID '${id}'. Experiment ID must be a valid integer.`);
        }
      }
      if (ids.length === 0) return [];
      const list = sqlList(ids.map(Number));
      extra = ` AND t.experiment_id IN ${list.sql}`;
      args.push(...list.args);
    }
    const scope = this.scope;
    const unique = [...new Set(traceIds)];
    const rows = await traceRowsByIdsScoped(this.h, unique, `${extra}${scope.sql}`, [...args, ...scope.args]);
    const byId = new Map(rows.map((r) => [r.request_id, r]));
    return unique.flatMap((id) => {
      const r = byId.get(id);
      return r ? [r] : [];
    });
  }

  /** Stored span contents by trace row: root spans first, then by start time, as the reference orders them. */
  private async spanContents(rows: number[]): Promise<Map<number, string[]>> {
    const out = new Map<number, string[]>();
    if (rows.length === 0) return out;
    const list = sqlList(rows);
    const rs = await this.h.client.execute({
      // Archival empties a span's content and keeps its row (its columns still serve span filters and metrics).
      sql: `SELECT trace_row, content FROM spans WHERE trace_row IN ${list.sql} AND content != ''
            ORDER BY trace_row, parent_span_id IS NOT NULL, start_time_unix_nano`,
      args: list.args,
    });
    for (const r of rs.rows) {
      const row = Number(r.trace_row);
      let list = out.get(row);
      if (!list) {
        list = [];
        out.set(row, list);
      }
      list.push(String(r.content));
    }
    return out;
  }

  async setTag(traceId: string, key: string, value: string | undefined): Promise<void> {
    checkKeyShape(key, "key");
    checkLength("key", TRACE_TAG_KEY_MAX, key);
    const v = checkLength("value", TRACE_TAG_VALUE_MAX, value ?? "", true);
    await this.h.writer.run(async () => {
      const row = await this.findRow(traceId);
      if (!row) throw missingTraceForTag(traceId, key, v);
      if (key === TRACE_NAME_TAG) {
        await this.h.client.execute({ sql: "UPDATE trace_info SET trace_name = ? WHERE id = ?", args: [v, row.id] });
        return;
      }
      await this.h.client.execute({
        sql: "INSERT INTO trace_tags (trace_row, key, value) VALUES (?, ?, ?) ON CONFLICT DO UPDATE SET value = excluded.value",
        args: [row.id, key, v],
      });
    });
  }

  async deleteTag(traceId: string, key: string): Promise<void> {
    const missing = () => notFound(`No trace tag with key '${key}' for trace with ID '${traceId}'`);
    await this.h.writer.run(async () => {
      const row = await this.findRow(traceId);
      if (!row) throw missing();
      if (key === TRACE_NAME_TAG) {
        if (row.trace_name === null) throw missing();
        await this.h.client.execute({ sql: "UPDATE trace_info SET trace_name = NULL WHERE id = ?", args: [row.id] });
        return;
      }
      const rs = await this.h.client.execute({
        sql: "DELETE FROM trace_tags WHERE trace_row = ? AND key = ?",
        args: [row.id, key],
      });
      if (rs.rowsAffected === 0) throw missing();
    });
  }

  /** Deletes by ids, or the oldest up to `maxTraces` at or before `maxTimestampMillis`; returns how many. */
  async deleteTraces(args: DeleteTracesArgs): Promise<number> {
    const { experimentId, maxTimestampMillis, maxTraces, traceIds } = args;
    const byIds = traceIds !== undefined && traceIds.length > 0;
    if (maxTimestampMillis === undefined && !byIds) {
      throw invalidParameter("Either `max_timestamp_millis` or `trace_ids` must be specified.");
    }
    if (maxTimestampMillis !== undefined && byIds) {
      throw invalidParameter("Only one of `max_timestamp_millis` and `trace_ids` can be specified.");
    }
    if (byIds && maxTraces !== undefined) {
      throw invalidParameter("`max_traces` can't be specified if `trace_ids` is specified.");
    }
    if (maxTraces !== undefined && maxTraces <= 0) {
      throw invalidParameter(`\`max_traces\` must be a positive integer, received ${maxTraces}.`);
    }
    if (!/^-?\d+$/.test(experimentId)) {
      throw invalidParameter(`Invalid experiment ID '${experimentId}'. Experiment ID must be a valid integer.`);
    }
    const [expId] = await experimentsInWorkspace(this.h, [experimentId]);
    if (expId === undefined) return 0;
    return this.h.writer.run(async () => {
      let where = "t.experiment_id = ?";
      const whereArgs: (string | number)[] = [Number(expId)];
      if (maxTimestampMillis !== undefined) {
        where += " AND t.timestamp_ms <= ?";
        whereArgs.push(maxTimestampMillis);
      }
      if (byIds) {
        const list = sqlList(traceIds);
        where += ` AND t.request_id IN ${list.sql}`;
        whereArgs.push(...list.args);
      }
      const limit = maxTraces !== undefined ? ` ORDER BY t.timestamp_ms, t.request_id LIMIT ${maxTraces}` : "";
      const rs = await this.h.client.execute({
        sql: `SELECT t.id FROM trace_info t WHERE ${where}${limit}`,
        args: whereArgs,
      });
      const ids = rs.rows.map((r) => Number(r.id));
      if (ids.length === 0) return 0;
      await this.h.client.batch(deleteTraceRows(ids), "write");
      return ids.length;
    });
  }

  async linkToRun(traceIds: string[], runId: string): Promise<void> {
    if (traceIds.length === 0) return;
    if (traceIds.length > MAX_TRACE_LINKS_PER_REQUEST) {
      throw invalidParameter(
        `Cannot link more than ${MAX_TRACE_LINKS_PER_REQUEST} traces to a run in a single request. Provided ${traceIds.length} traces.`,
      );
    }
    await this.link(
      traceIds.map((id) => ({ source: id, destination: runId })),
      "RUN",
    );
  }

  async linkPrompts(traceId: string, promptVersions: { name: string; version: string }[]): Promise<void> {
    if (promptVersions.length === 0) return;
    await this.row(traceId);
    await this.link(
      promptVersions.map((pv) => ({ source: traceId, destination: `${pv.name}/${pv.version}` })),
      "PROMPT_VERSION",
    );
  }

  /** Adds the trace → destination associations that do not exist yet. */
  private async link(pairs: { source: string; destination: string }[], destinationType: string): Promise<void> {
    const now = Date.now();
    await this.h.writer.run(async () => {
      await this.h.client.execute({
        sql: `INSERT INTO entity_associations
                (association_id, source_type, source_id, destination_type, destination_id, created_time)
              SELECT lower(hex(randomblob(16))), 'TRACE', j.value ->> 0, ?, j.value ->> 1, ?
              FROM json_each(?) j WHERE true
              ON CONFLICT (source_type, source_id, destination_type, destination_id) DO NOTHING`,
        args: [destinationType, now, JSON.stringify(pairs.map((p) => [p.source, p.destination]))],
      });
    });
  }

  /**
   * MLflow 2's StartTrace: a new IN_PROGRESS trace with a 32-hex id, its tags (and the artifact location tag) and
   * metadata. @see mlflow/store/tracking/sqlalchemy_store.py deprecated_start_trace_v2
   */
  async startV2(args: {
    experimentId: string;
    timestampMs: number;
    metadata: Map<string, string>;
    tags: Map<string, string>;
  }): Promise<TraceInfoV2> {
    const traceName = args.tags.get(TRACE_NAME_TAG);
    if (traceName !== undefined) checkLength("Trace name", TRACE_TAG_VALUE_MAX_NAME, traceName);
    const experiment = await this.experiments.row(args.experimentId);
    checkActive(experiment);
    const requestId = crypto.randomUUID().replaceAll("-", "");
    const columns = analyticsColumns(args.metadata);
    const tags = new Map(args.tags);
    tags.delete(TRACE_NAME_TAG);
    tags.set(ARTIFACT_LOCATION_TAG, traceArtifactLocation(experiment.artifactLocation, requestId));
    await this.h.writer.run(async () => {
      const rs = await this.h.client.execute({
        sql: `INSERT INTO trace_info (request_id, experiment_id, timestamp_ms, execution_time_ms, status, trace_name,
                session_id, input_tokens, output_tokens, total_tokens)
              VALUES (?, ?, ?, NULL, 'IN_PROGRESS', ?, ?, ?, ?, ?) RETURNING id`,
        args: [
          requestId,
          experiment.experimentId,
          args.timestampMs,
          traceName ?? null,
          columns.session_id ?? null,
          columns.input_tokens ?? null,
          columns.output_tokens ?? null,
          columns.total_tokens ?? null,
        ],
      });
      await this.h.client.batch(keyValueInserts(Number(rs.rows[0]?.id), tags, args.metadata), "write");
    });
    return this.getInfoV2(requestId);
  }

  /** MLflow 2's EndTrace: the execution time, status, and tags / metadata merged in. */
  async endV2(
    traceId: string,
    args: { timestampMs: number; status: string; metadata: Map<string, string>; tags: Map<string, string> },
  ): Promise<TraceInfoV2> {
    await this.h.writer.run(async () => {
      const row = await this.row(traceId);
      const columns = analyticsColumns(args.metadata);
      const tags = new Map(args.tags);
      let traceName = row.trace_name;
      const newName = tags.get(TRACE_NAME_TAG);
      if (newName !== undefined) {
        traceName = checkLength("Trace name", TRACE_TAG_VALUE_MAX_NAME, newName);
        tags.delete(TRACE_NAME_TAG);
      }
      const pick = (k: keyof typeof columns, current: unknown) => (k in columns ? (columns[k] ?? null) : current);
      await this.h.client.batch(
        [
          {
            sql: `UPDATE trace_info SET execution_time_ms = ?, status = ?, trace_name = ?, session_id = ?,
                    input_tokens = ?, output_tokens = ?, total_tokens = ? WHERE id = ?`,
            args: [
              args.timestampMs - row.timestamp_ms,
              args.status,
              traceName,
              pick("session_id", row.session_id) as string | null,
              pick("input_tokens", row.input_tokens) as number | null,
              pick("output_tokens", row.output_tokens) as number | null,
              pick("total_tokens", row.total_tokens) as number | null,
              row.id,
            ],
          },
          ...keyValueInserts(row.id, tags, args.metadata),
        ],
        "write",
      );
    });
    return this.getInfoV2(traceId);
  }

  /** The trace ids linked to a run (`link-to-run`), for the run page and search. */
  async linkedToRun(runId: string): Promise<string[]> {
    const rs = await this.h.client.execute({
      sql: `SELECT source_id FROM entity_associations
            WHERE destination_type = 'RUN' AND destination_id = ? AND source_type = 'TRACE'`,
      args: [runId],
    });
    return rs.rows.map((r) => String(r.source_id));
  }
}

/** A span-tree page token: the last span id of the page, opaque to clients. */
function encodeSpanToken(spanId: string): string {
  return btoa(JSON.stringify({ after: spanId }));
}

function decodeSpanToken(token: string): string {
  try {
    const after = (JSON.parse(atob(token)) as { after?: unknown }).after;
    if (typeof after === "string") return after;
  } catch {
    // Falls through to the error below.
  }
  throw invalidParameter("Invalid page token, could not base64-decode");
}

/** Where a trace's artifacts (traces.json, attachments) go: below its experiment's artifact location. */
export function traceArtifactLocation(experimentArtifactLocation: string, traceId: string): string {
  return appendToUri(experimentArtifactLocation, "traces", traceId, "artifacts");
}

/** Upserts of a trace's tags and metadata, each set as one JSON parameter. */
function keyValueInserts(traceRow: number, tags: Map<string, string>, metadata: Map<string, string>) {
  const upsert = (table: string, m: Map<string, string>) => ({
    sql: `INSERT INTO ${table} (trace_row, key, value) SELECT ?, j.value ->> 0, j.value ->> 1 FROM json_each(?) j
          WHERE true ON CONFLICT DO UPDATE SET value = excluded.value`,
    args: [traceRow, JSON.stringify([...m])],
  });
  const out = [];
  if (tags.size > 0) out.push(upsert("trace_tags", tags));
  if (metadata.size > 0) out.push(upsert("trace_request_metadata", metadata));
  return out;
}

/** The statements that delete traces with everything hanging off them. */
export function deleteTraceRows(ids: number[]) {
  const json = JSON.stringify(ids);
  const inIds = "(SELECT value FROM json_each(?))";
  return [
    ...["trace_tags", "trace_request_metadata", "spans", "assessments"].map((table) => ({
      sql: `DELETE FROM ${table} WHERE trace_row IN ${inIds}`,
      args: [json],
    })),
    {
      sql: `DELETE FROM entity_associations WHERE source_type = 'TRACE'
            AND source_id IN (SELECT request_id FROM trace_info WHERE id IN ${inIds})`,
      args: [json],
    },
    // Review: a deleted trace leaves the review queues it was in. @see _delete_review_queue_items_for_traces
    {
      sql: `DELETE FROM review_queue_items WHERE item_type = 'trace'
            AND item_id IN (SELECT request_id FROM trace_info WHERE id IN ${inIds})`,
      args: [json],
    },
    { sql: `DELETE FROM trace_info WHERE id IN ${inIds}`, args: [json] },
  ];
}

async function traceRowsByIdsScoped(
  h: DbHandle,
  traceIds: string[],
  extraSql: string,
  extraArgs: InValue[],
): Promise<TraceRow[]> {
  if (extraSql === "") return traceRowsByIds(h, traceIds);
  if (traceIds.length === 0) return [];
  const list = sqlList(traceIds);
  const rs = await h.client.execute({
    sql: `SELECT ${TRACE_COLUMNS} FROM trace_info t WHERE t.request_id IN ${list.sql}${extraSql}`,
    args: [...list.args, ...extraArgs],
  });
  return rs.rows as unknown as TraceRow[];
}

/** Whether as many spans arrived as the trace's size stats announce (no stats: complete). */
function isComplete(info: TraceInfoV3, spanCount: number): boolean {
  const stats = info.trace_metadata?.[SIZE_STATS_METADATA];
  if (!stats) return true;
  try {
    const n = (JSON.parse(stats) as { num_spans?: unknown }).num_spans;
    return typeof n !== "number" || spanCount >= n;
  } catch {
    return true;
  }
}

/** One trace as JSON text: the info serialised, the stored spans spliced in as they are. */
function traceJson(info: TraceInfoV3, spanContents: string[]): string {
  return `{"trace_info":${JSON.stringify(info)},"spans":[${spanContents.join(",")}]}`;
}

/**
 * The reference lets the database's refusal through when a tag is set on a trace that does not exist (its tag row's
 * foreign key fails): the same code and text.
 */
function missingTraceForTag(traceId: string, key: string, value: string): MlflowError {
  return new MlflowError(
    `(sqlite3.IntegrityError) FOREIGN KEY constraint failed\n[SQL: INSERT INTO trace_tags ("key", value, request_id) VALUES (?, ?, ?)]\n[parameters: (${pyRepr(key)}, ${pyRepr(value)}, ${pyRepr(traceId)})]\n(Background on this error at: https://sqlalche.me/e/21/gkpj)`,
    "BAD_REQUEST",
  );
}
