import type { InStatement, InValue } from "@libsql/client";
import {
  type AggregationNode,
  aggregateNodes,
  CACHE_TOKEN_KEYS,
  COST_KEYS,
  costJson,
  nodeData,
  TOKEN_KEYS,
  tokenCount,
  tokenUsageJson,
} from "../traces/otlp/aggregate.js";
import { pyJsonDumps, pyJsonLoads } from "../traces/otlp/any-value.js";
import { truncatedPreview } from "../traces/otlp/preview.js";
import { type IngestSpan, SPAN_ATTR } from "../traces/otlp/span-convert.js";
import { checkKeyShape, checkLength } from "../validation/validate.js";
import type { DbHandle } from "./db.js";
import type { ExperimentStore } from "./experiments.js";
import { appendToUri } from "./ids.js";
import { TRACE_KEYS } from "./trace-keys.js";

/** One `log_spans` call: the spans of one OTLP request, for the experiment its header names. */
interface Job {
  experimentId: string;
  spans: IngestSpan[];
  resolve: () => void;
  reject: (err: unknown) => void;
}

/** A group's knowledge of a trace, carried from one job to the next before anything is committed. */
interface TraceState {
  /** The trace row exists (committed, or inserted by an earlier job of the group). */
  exists: boolean;
  /** It existed before the group: its stored spans are in the database. */
  inDb: boolean;
  /** Usage/cost nodes of its stored spans, loaded when a job needs the whole tree; then kept up to date. */
  nodes?: Map<string, { usage: AggregationNode; cost: AggregationNode }>;
  /** Nodes the group's earlier jobs wrote, until `nodes` is loaded. */
  groupNodes: Map<string, { usage: AggregationNode; cost: AggregationNode }>;
}

/** Most spans committed in one transaction; more wait for the next. */
const MAX_GROUP_SPANS = 5000;
/** Rows per multi-row INSERT (10 values each, well under SQLite's bound-parameter limit). */
const SPAN_ROWS_PER_INSERT = 100;
const TRACE_ROW = "(SELECT id FROM trace_info WHERE request_id = ?)";
const FINALIZED = `EXISTS (SELECT 1 FROM trace_request_metadata m WHERE m.trace_row = trace_info.id AND m.key = '${TRACE_KEYS.INFO_FINALIZED}')`;

/**
 * Span ingest (`POST /v1/traces`), as the reference's `SqlAlchemyStore.log_spans`: spans are grouped by trace; a trace
 * that does not exist yet is created from them (time range, state from the root span, previews, token usage, session,
 * user, trace tags from root attributes and resource attributes); spans are upserted and the trace info merged.
 *
 * Requests that arrive while a commit is in flight are handled together in one transaction on the store's writer (a
 * group): each is prepared in order against what the earlier ones of the group wrote, so the statements compose as
 * sequential calls would. Trace-level merges are SQL expressions over the stored row (MIN/MAX of the time range,
 * COALESCE of previews), so they need no reads; only the token/cost roll-up of a trace whose earlier spans are stored
 * reads those spans' usage.
 * @see mlflow/store/tracking/sqlalchemy_store.py SqlAlchemyStore._log_spans_once
 */
export class TraceSpanStore {
  #pending: Job[] = [];
  #scheduled = false;

  constructor(
    private readonly h: DbHandle,
    private readonly experiments: ExperimentStore,
  ) {}

  /** Stores the spans of one request for the experiment `experimentId` (the x-mlflow-experiment-id header). */
  logSpans(experimentId: string, spans: IngestSpan[]): Promise<void> {
    if (spans.length === 0) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const committed = () => {
        this.h.observer?.ingested("span", spans.length);
        resolve();
      };
      this.#pending.push({ experimentId, spans, resolve: committed, reject });
      if (!this.#scheduled) {
        this.#scheduled = true;
        void this.h.writer.run(() => this.#drain());
      }
    });
  }

  async #drain(): Promise<void> {
    const jobs: Job[] = [];
    let count = 0;
    while (
      this.#pending.length > 0 &&
      (jobs.length === 0 || count + (this.#pending[0]?.spans.length ?? 0) <= MAX_GROUP_SPANS)
    ) {
      const job = this.#pending.shift() as Job;
      jobs.push(job);
      count += job.spans.length;
    }
    this.#scheduled = this.#pending.length > 0;
    if (this.#scheduled) void this.h.writer.run(() => this.#drain());

    const ready: { job: Job; stmts: InStatement[] }[] = [];
    try {
      const states = await this.#loadStates(jobs);
      for (const job of jobs) {
        try {
          ready.push({ job, stmts: await this.#prepare(job, states) });
        } catch (err) {
          job.reject(err);
        }
      }
    } catch (err) {
      for (const job of jobs) job.reject(err);
      return;
    }
    const all = ready.flatMap((r) => r.stmts);
    try {
      if (all.length > 0) await this.h.client.batch(all, "write");
      for (const r of ready) r.job.resolve();
    } catch (err) {
      if (ready.length === 1) {
        ready[0]?.job.reject(err);
        return;
      }
      // One request failed the group's transaction: commit them one at a time, each prepared again against what
      // the ones before it committed, so each gets its own answer.
      for (const { job } of ready) {
        try {
          const stmts = await this.#prepare(job, await this.#loadStates([job]));
          await this.h.client.batch(stmts, "write");
          job.resolve();
        } catch (e) {
          job.reject(e);
        }
      }
    }
  }

  /** Which of the group's traces exist already. */
  async #loadStates(jobs: Job[]): Promise<Map<string, TraceState>> {
    const ids = [...new Set(jobs.flatMap((j) => j.spans.map((s) => s.traceId)))];
    const existing = new Set<string>();
    for (let i = 0; i < ids.length; i += 500) {
      const chunk = ids.slice(i, i + 500);
      const rs = await this.h.client.execute({
        sql: `SELECT request_id FROM trace_info WHERE request_id IN (${chunk.map(() => "?").join(",")})`,
        args: chunk,
      });
      for (const r of rs.rows) existing.add(r.request_id as string);
    }
    return new Map(
      ids.map((id) => [id, { exists: existing.has(id), inDb: existing.has(id), groupNodes: new Map() } as TraceState]),
    );
  }

  /** The usage/cost nodes of a stored trace's spans, read from their stored content. */
  async #storedNodes(traceId: string): Promise<Map<string, { usage: AggregationNode; cost: AggregationNode }>> {
    const attr = (key: string) =>
      `(SELECT json_extract(a.value, '$.value') FROM json_each(s.content, '$.attributes') a WHERE json_extract(a.value, '$.key') = '${key}')`;
    const rs = await this.h.client.execute({
      sql: `SELECT s.span_id, s.parent_span_id, ${attr(SPAN_ATTR.CHAT_USAGE)} AS usage, ${attr(SPAN_ATTR.LLM_COST)} AS cost
            FROM spans s WHERE s.trace_row = ${TRACE_ROW}`,
      args: [traceId],
    });
    const out = new Map<string, { usage: AggregationNode; cost: AggregationNode }>();
    for (const r of rs.rows) {
      const spanId = r.span_id as string;
      const parentId = (r.parent_span_id as string | null) ?? null;
      out.set(spanId, {
        usage: { spanId, parentId, data: anyValueNodeData(r.usage as string | null) },
        cost: { spanId, parentId, data: anyValueNodeData(r.cost as string | null) },
      });
    }
    return out;
  }

  /** The statements of one job, given (and then updating) what the group knows of its traces. */
  async #prepare(job: Job, states: Map<string, TraceState>): Promise<InStatement[]> {
    const byTrace = new Map<string, IngestSpan[]>();
    for (const s of job.spans) {
      const list = byTrace.get(s.traceId);
      if (list) list.push(s);
      else byTrace.set(s.traceId, [s]);
    }
    const traceIds = [...byTrace.keys()];
    const missing = traceIds.filter((id) => !states.get(id)?.exists);
    // The experiment is looked up only when a trace must be created, as in the reference.
    const experiment = missing.length > 0 ? await this.experiments.row(job.experimentId) : undefined;

    const stmts: InStatement[] = [];
    const after: (() => void)[] = [];
    const aggregates = new Map<string, TraceAggregate>();
    for (const [traceId, spans] of byTrace) aggregates.set(traceId, aggregateTrace(spans));

    for (const traceId of missing) {
      const agg = aggregates.get(traceId) as TraceAggregate;
      const exp = experiment as NonNullable<typeof experiment>;
      stmts.push(
        {
          sql: `INSERT INTO trace_info (request_id, experiment_id, timestamp_ms, execution_time_ms, status)
                VALUES (?, ?, ?, ?, ?)`,
          args: [
            traceId,
            exp.experimentId,
            agg.minStartMs,
            agg.maxEndMs ? agg.maxEndMs - agg.minStartMs : null,
            agg.rootStatus ?? "IN_PROGRESS",
          ],
        },
        {
          sql: `INSERT INTO trace_tags (trace_row, key, value) VALUES (${TRACE_ROW}, ?, ?)`,
          args: [
            traceId,
            TRACE_KEYS.ARTIFACT_LOCATION,
            appendToUri(exp.artifactLocation, "traces", traceId, "artifacts"),
          ],
        },
      );
    }
    stmts.push(...spanUpserts(job.spans));

    for (const traceId of [...traceIds].sort()) {
      const agg = aggregates.get(traceId) as TraceAggregate;
      const state = states.get(traceId) as TraceState;
      // Token usage and cost over the whole span tree: the stored spans (and the group's earlier ones) with these.
      const batchNodes = new Map(
        (byTrace.get(traceId) ?? []).map((s) => {
          const usage = { spanId: s.spanId, parentId: s.parentId, data: nodeData(s.values.get(SPAN_ATTR.CHAT_USAGE)) };
          const cost = { spanId: s.spanId, parentId: s.parentId, data: nodeData(s.values.get(SPAN_ATTR.LLM_COST)) };
          return [s.spanId, { usage, cost }] as const;
        }),
      );
      const hasUsage = [...batchNodes.values()].some((n) => n.usage.data);
      const hasCost = [...batchNodes.values()].some((n) => n.cost.data);
      let known = state.nodes;
      if ((hasUsage || hasCost) && state.inDb && !known) {
        known = await this.#storedNodes(traceId);
        for (const [k, v] of state.groupNodes) known.set(k, v);
      }
      const tree = new Map([...(known ?? state.groupNodes), ...batchNodes]);
      const usage = hasUsage
        ? aggregateNodes(
            [...tree.values()].map((n) => n.usage),
            TOKEN_KEYS,
            CACHE_TOKEN_KEYS,
          )
        : undefined;
      const cost = hasCost
        ? aggregateNodes(
            [...tree.values()].map((n) => n.cost),
            COST_KEYS,
          )
        : undefined;
      const session = agg.sessionId !== undefined ? checkLength("Session ID", 250, agg.sessionId) : undefined;
      const checkFinalized = hasUsage || hasCost || session !== undefined;
      stmts.push(...traceMerge(traceId, agg, { usage, cost, session, checkFinalized }));
      after.push(() => {
        state.exists = true;
        if (known) state.nodes = tree;
        else state.groupNodes = tree;
      });
    }
    for (const fn of after) fn();
    return stmts;
  }
}

/** A usage/cost attribute's value as stored in a span's content (an AnyValue), as aggregation node data. */
function anyValueNodeData(json: string | null): ReadonlyMap<string, number> | undefined {
  if (!json) return undefined;
  let v: { kvlist_value?: { values?: { key?: string; value?: Record<string, unknown> }[] } };
  try {
    v = JSON.parse(json);
  } catch {
    return undefined;
  }
  if (!v.kvlist_value) return undefined;
  const out = new Map<string, number>();
  for (const kv of v.kvlist_value.values ?? []) {
    const x = kv.value?.int_value ?? kv.value?.double_value;
    if (typeof x === "number") out.set(kv.key ?? "", x);
  }
  return out;
}

/** What one request's spans say about their trace. */
interface TraceAggregate {
  minStartMs: number;
  maxEndMs: number;
  /** OK or ERROR from the root span, when the request holds it. */
  rootStatus: "OK" | "ERROR" | undefined;
  root: IngestSpan | undefined;
  sessionId: string | undefined;
  userId: string | undefined;
  /** Trace tags the root span carries as `mlflow.traceTag.<key>` attributes. */
  rootTags: Map<string, string>;
  /** The OTel resource's attributes, as trace tags. */
  resourceTags: Map<string, string>;
}

/** A stored attribute's text as a plain string where it holds a JSON string. @see _try_parse_json_string */
function plainString(stored: string): string {
  const v = pyJsonLoads(stored);
  return v?.t === "str" ? v.v : stored;
}

/** A trace tag the way `_validate_trace_tag` takes it: a valid key up to 250 characters, the value cut to 8000. */
function validTag(key: string, value: string): [string, string] | undefined {
  try {
    checkKeyShape(key, "key");
    checkLength("key", 250, key);
    return [key, checkLength("value", 8000, value, true)];
  } catch {
    return undefined;
  }
}

function aggregateTrace(spans: IngestSpan[]): TraceAggregate {
  let minStart = spans[0]?.startNs ?? 0n;
  let maxEnd = spans[0]?.endNs ?? 0n;
  for (const s of spans) {
    if (s.startNs < minStart) minStart = s.startNs;
    if (s.endNs > maxEnd) maxEnd = s.endNs;
  }
  const root = spans.find((s) => s.parentId === null);
  let sessionId: string | undefined;
  let userId: string | undefined;
  for (const s of spans) {
    const session = s.stored.get(SPAN_ATTR.SESSION_ID) ?? s.stored.get(SPAN_ATTR.CONVERSATION_ID);
    if (sessionId === undefined && session) sessionId = plainString(session);
    const user = s.stored.get(SPAN_ATTR.USER_ID);
    if (userId === undefined && user) userId = plainString(user);
  }
  const rootTags = new Map<string, string>();
  for (const [k, v] of root?.stored ?? []) {
    if (!k.startsWith(SPAN_ATTR.TRACE_TAG_PREFIX)) continue;
    const tag = validTag(k.slice(SPAN_ATTR.TRACE_TAG_PREFIX.length), plainString(v));
    if (!tag) continue;
    if (tag[0] === TRACE_KEYS.TRACE_NAME) tag[1] = checkLength("Trace name", 4096, tag[1]);
    rootTags.set(tag[0], tag[1]);
  }
  const resourceTags = new Map<string, string>();
  const resource = spans.find((s) => s.resource.length > 0)?.resource ?? [];
  for (const [k, v] of resource) {
    if (k.startsWith("telemetry.sdk.") || k.startsWith("mlflow.")) continue;
    const tag = validTag(k, v.t === "str" ? v.v : pyJsonDumps(v, true));
    if (tag) resourceTags.set(tag[0], tag[1]);
  }
  return {
    minStartMs: Number(minStart / 1_000_000n),
    maxEndMs: Number(maxEnd / 1_000_000n),
    rootStatus: root ? (root.status === "ERROR" ? "ERROR" : "OK") : undefined,
    root,
    sessionId,
    userId,
    rootTags,
    resourceTags,
  };
}

/**
 * Multi-row upserts of the spans (a span sent again replaces the stored one). Times are bound as BigInt: exact. (One
 * JSON argument read with json_each instead of bound values was measured: more CPU per span, not less.)
 */
function spanUpserts(spans: IngestSpan[]): InStatement[] {
  const out: InStatement[] = [];
  for (let i = 0; i < spans.length; i += SPAN_ROWS_PER_INSERT) {
    const chunk = spans.slice(i, i + SPAN_ROWS_PER_INSERT);
    const args: InValue[] = [];
    for (const s of chunk) {
      args.push(
        s.traceId,
        s.spanId,
        s.parentId,
        s.name,
        s.type,
        s.status,
        s.startNs,
        s.endNs,
        s.endNs ? s.endNs - s.startNs : null,
        s.content,
      );
    }
    out.push({
      sql: `INSERT INTO spans (trace_row, span_id, parent_span_id, name, type, status, start_time_unix_nano,
              end_time_unix_nano, duration_ns, content)
            VALUES ${chunk.map(() => `(${TRACE_ROW}, ?, ?, ?, ?, ?, ?, ?, ?, ?)`).join(", ")}
            ON CONFLICT (trace_row, span_id) DO UPDATE SET parent_span_id = excluded.parent_span_id,
              name = excluded.name, type = excluded.type, status = excluded.status,
              start_time_unix_nano = excluded.start_time_unix_nano, end_time_unix_nano = excluded.end_time_unix_nano,
              duration_ns = excluded.duration_ns, content = excluded.content`,
      args,
    });
  }
  return out;
}

interface Rollups {
  usage: Map<string, number> | undefined;
  cost: Map<string, number> | undefined;
  session: string | undefined;
  /** Whether start_trace's finalization counts: the reference checks it only for traces with usage, cost or a session. */
  checkFinalized: boolean;
}

/**
 * The trace info merge of one request, as SQL over the stored row: the time range widens (unless StartTraceV3
 * finalized it), the state follows the root span while IN_PROGRESS, previews and session fill in when empty, token
 * usage and cost are recomputed unless StartTraceV3 gave them; then the trace's tags.
 */
function traceMerge(traceId: string, agg: TraceAggregate, r: Rollups): InStatement[] {
  const stmts: InStatement[] = [];
  const metadata = (key: string, value: string, condition: string, onConflict: string) =>
    stmts.push({
      sql: `INSERT INTO trace_request_metadata (trace_row, key, value)
            SELECT id, :key, :value FROM trace_info WHERE request_id = :rid AND ${condition}
            ON CONFLICT (trace_row, key) DO ${onConflict}`,
      args: { key, value, rid: traceId },
    });
  const tokenColumnsSet = "(input_tokens IS NOT NULL OR output_tokens IS NOT NULL OR total_tokens IS NOT NULL)";
  const usageJson = r.usage ? tokenUsageJson(r.usage) : undefined;
  if (usageJson) {
    metadata(
      TRACE_KEYS.TOKEN_USAGE,
      usageJson,
      `NOT (${FINALIZED} AND ${tokenColumnsSet})`,
      "UPDATE SET value = excluded.value",
    );
  }
  const costText = r.cost ? costJson(r.cost) : undefined;
  if (costText) {
    const costSet = `EXISTS (SELECT 1 FROM trace_request_metadata c WHERE c.trace_row = trace_info.id AND c.key = '${TRACE_KEYS.COST}')`;
    metadata(TRACE_KEYS.COST, costText, `NOT (${FINALIZED} AND ${costSet})`, "UPDATE SET value = excluded.value");
  }
  if (r.session !== undefined && r.session !== "") {
    metadata(TRACE_KEYS.SESSION, r.session, "session_id IS NULL", "UPDATE SET value = excluded.value");
  }
  if (agg.userId) metadata(TRACE_KEYS.USER, agg.userId, "1", "NOTHING");

  const token = (key: string) => (r.usage ? (tokenCount(r.usage.get(key)) ?? null) : null);
  const inputs = agg.root?.stored.get(SPAN_ATTR.INPUTS);
  const outputs = agg.root?.stored.get(SPAN_ATTR.OUTPUTS);
  const fin = `(:checkFin AND ${FINALIZED})`;
  const newTs = "(CASE WHEN timestamp_ms > :minStart THEN :minStart ELSE timestamp_ms END)";
  stmts.push({
    sql: `UPDATE trace_info SET
            timestamp_ms = CASE WHEN ${fin} THEN timestamp_ms ELSE ${newTs} END,
            execution_time_ms = CASE WHEN ${fin} THEN execution_time_ms ELSE
              (CASE WHEN (timestamp_ms + execution_time_ms) > :maxEnd THEN timestamp_ms + execution_time_ms
                ELSE :maxEnd END) - ${newTs} END,
            status = CASE WHEN :rootStatus IS NOT NULL AND status IN ('IN_PROGRESS', 'STATE_UNSPECIFIED')
              THEN :rootStatus ELSE status END,
            request_preview = COALESCE(request_preview, :requestPreview),
            response_preview = COALESCE(response_preview, :responsePreview),
            trace_name = COALESCE(:traceName, trace_name),
            input_tokens = CASE WHEN ${FINALIZED} AND ${tokenColumnsSet} THEN input_tokens
              ELSE COALESCE(:inputTokens, input_tokens) END,
            output_tokens = CASE WHEN ${FINALIZED} AND ${tokenColumnsSet} THEN output_tokens
              ELSE COALESCE(:outputTokens, output_tokens) END,
            total_tokens = CASE WHEN ${FINALIZED} AND ${tokenColumnsSet} THEN total_tokens
              ELSE COALESCE(:totalTokens, total_tokens) END,
            session_id = COALESCE(session_id, :session)
          WHERE request_id = :rid`,
    args: {
      rid: traceId,
      checkFin: r.checkFinalized ? 1 : 0,
      minStart: agg.minStartMs,
      maxEnd: agg.maxEndMs,
      rootStatus: agg.rootStatus ?? null,
      requestPreview: inputs ? truncatedPreview(inputs, "user") : null,
      responsePreview: outputs ? truncatedPreview(outputs, "assistant") : null,
      traceName: agg.rootTags.get(TRACE_KEYS.TRACE_NAME) ?? null,
      inputTokens: token("input_tokens"),
      outputTokens: token("output_tokens"),
      totalTokens: token("total_tokens"),
      session: r.session || null,
    },
  });

  // Tags last: the spans location, then resource attributes, then the root's own tags (they win a clash).
  const tags: [string, string][] = [
    [TRACE_KEYS.SPANS_LOCATION, "TRACKING_STORE"],
    ...agg.resourceTags,
    ...agg.rootTags,
  ];
  for (const [key, value] of tags) {
    stmts.push({
      sql: `INSERT INTO trace_tags (trace_row, key, value) VALUES (${TRACE_ROW}, ?, ?)
            ON CONFLICT (trace_row, key) DO UPDATE SET value = excluded.value`,
      args: [traceId, key, value],
    });
  }
  return stmts;
}
