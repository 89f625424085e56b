import type { TraceInfoV3 } from "@tracklite/schemas";
import type { Context, Hono } from "hono";
import type { ArtifactStore } from "../artifacts/store.js";
import { clientCrash, invalidParameter } from "../errors.js";
import { mount } from "../http/mount.js";
import { pageResponse } from "../http/page.js";
import type { Store } from "../store/index.js";
import { checkTraceTagMutation } from "../store/traces.js";
import { artifactSpans } from "../traces/artifact-spans.js";
import { storeIn } from "../workspaces/middleware.js";

/**
 * /mlflow/traces/* — reading traces, their tags, deleting and linking them (v3 under 3.0, the same handlers under
 * 2.0 where the reference serves them there), and MLflow 2's start / end / get-info / search. Trace writes of MLflow 3
 * (start, OTLP spans) are in trace-writes.ts and otlp.ts, assessments in assessments.ts.
 * @see mlflow/server/handlers.py _get_trace_info_v3 … _link_prompts_to_trace, _deprecated_*_v2
 */
/** SearchTraces / SearchTracesV3's proto default for max_results. */
const SEARCH_TRACES_PROTO_DEFAULT = 100;
/** Span-tree rows per page: a 50,000-span trace in one answer of a few MB. */
const SPAN_TREE_PAGE = 50_000;
const SPAN_TREE_PAGE_MAX = 100_000;

export function traceRoutes(
  api: Hono,
  v3Only: Hono,
  v2Only: Hono,
  ajaxOnly: Hono,
  store: Store,
  artifacts: ArtifactStore,
): void {
  const at = storeIn(store);
  const elsewhere = (info: TraceInfoV3) => artifactSpans(artifacts, info);

  // Registered before `traces/:trace_id`, which would match these paths.
  mount(v3Only, "getTrace", async (r, c) =>
    jsonText(
      c,
      `{"trace":${await at(c).traces.getTraceJson(r.trace_id ?? "", queryBool(r.allow_partial), elsewhere)}}`,
    ),
  );
  mount(v3Only, "batchGetTraces", async (r, c) =>
    jsonText(c, await at(c).traces.batchGetJson(r.trace_ids ?? [], r.experiment_ids, elsewhere)),
  );
  mount(v3Only, "batchGetTraceInfos", async (r, c) => {
    const infos = await at(c).traces.batchGetInfos(r.trace_ids ?? [], r.experiment_ids);
    return infos.length > 0 ? { trace_infos: infos } : {};
  });
  mount(v3Only, "getTraceInfoV3", async (_r, c, path) => ({
    trace: { trace_info: await at(c).traces.getInfo(path.trace_id) },
  }));

  mount(v3Only, "searchTracesV3", async (r, c) => {
    const experimentIds = (r.locations ?? []).flatMap((l) =>
      l.mlflow_experiment ? [l.mlflow_experiment.experiment_id ?? ""] : [],
    );
    const page = await at(c).traces.search({
      experimentIds,
      filter: r.filter,
      maxResults: r.max_results ?? SEARCH_TRACES_PROTO_DEFAULT,
      orderBy: r.order_by,
      pageToken: r.page_token || undefined,
    });
    return pageResponse("traces", page.traces, page.nextPageToken);
  });

  mount(api, "deleteTraces", async (r, c) => ({
    traces_deleted: await at(c).traces.deleteTraces({
      experimentId: r.experiment_id ?? "",
      maxTimestampMillis: r.max_timestamp_millis,
      maxTraces: r.max_traces,
      traceIds: r.request_ids,
    }),
  }));
  mount(api, "setTraceTag", async (r, c, path) => {
    const key = r.key ?? "";
    checkTraceTagMutation(key, "set");
    await at(c).traces.setTag(path.trace_id, key, r.value);
    return {};
  });
  mount(api, "deleteTraceTag", async (r, c, path) => {
    const key = r.key ?? "";
    checkTraceTagMutation(key, "deleted");
    await at(c).traces.deleteTag(path.trace_id, key);
    return {};
  });
  mount(api, "linkTracesToRun", async (r, c) => {
    await at(c).traces.linkToRun(r.trace_ids ?? [], r.run_id ?? "");
    return {};
  });
  mount(api, "linkPromptsToTrace", async (r, c) => {
    const versions = (r.prompt_versions ?? []).map((pv) => ({ name: pv.name ?? "", version: String(pv.version ?? 0) }));
    await at(c).traces.linkPrompts(r.trace_id ?? "", versions);
    return {};
  });

  // tracklite's UI: a large trace's tree first, span contents as they are opened.
  mount(ajaxOnly, "getTraceSpanTree", async (r, c) => {
    const max = r.max_results ?? SPAN_TREE_PAGE;
    if (max < 1 || max > SPAN_TREE_PAGE_MAX) {
      throw invalidParameter(`max_results must be between 1 and ${SPAN_TREE_PAGE_MAX}, got ${max}.`);
    }
    return jsonText(c, await at(c).traces.spanTreeJson(r.trace_id ?? "", max, r.page_token || undefined));
  });
  mount(ajaxOnly, "getTraceSpans", async (r, c) => {
    const spans = await at(c).traces.spansById(r.trace_id ?? "", r.span_ids ?? []);
    return jsonText(c, `{"spans":[${spans.join(",")}]}`);
  });

  // MLflow 2's trace RPCs.
  mount(v2Only, "startTraceV2", async (r, c) => {
    // The reference crashes on a missing experiment id (`int('')`); its message, as a 400.
    if (!r.experiment_id) throw clientCrash("invalid literal for int() with base 10: ''");
    return {
      trace_info: await at(c).traces.startV2({
        experimentId: r.experiment_id,
        timestampMs: r.timestamp_ms ?? 0,
        metadata: pairs(r.request_metadata),
        tags: pairs(r.tags),
      }),
    };
  });
  mount(v2Only, "endTraceV2", async (r, c, path) => {
    const status = statusName(r.status);
    // The reference maps the status to a v3 state and crashes on UNSPECIFIED; its message, as a 400.
    if (status === "TRACE_STATUS_UNSPECIFIED") {
      throw clientCrash("<TraceStatus.UNSPECIFIED: 'TRACE_STATUS_UNSPECIFIED'> is not a valid TraceState");
    }
    return {
      trace_info: await at(c).traces.endV2(path.trace_id, {
        timestampMs: r.timestamp_ms ?? 0,
        status,
        metadata: pairs(r.request_metadata),
        tags: pairs(r.tags),
      }),
    };
  });
  mount(v2Only, "searchTracesV2", async (r, c) => {
    const ids = r.experiment_ids ?? [];
    const page = await at(c).traces.searchV2({
      // An empty list searches every experiment, as the reference's store does with no experiment ids.
      experimentIds: ids.length > 0 ? ids : null,
      filter: r.filter,
      maxResults: r.max_results ?? SEARCH_TRACES_PROTO_DEFAULT,
      orderBy: r.order_by,
      pageToken: r.page_token || undefined,
    });
    return pageResponse("traces", page.traces, page.nextPageToken);
  });
  mount(v2Only, "getTraceInfoV2", async (_r, c, path) => ({
    trace_info: await at(c).traces.getInfoV2(path.trace_id),
  }));
}

/** A boolean query parameter as the reference reads one. */
function queryBool(v: boolean | string | undefined): boolean {
  if (v === undefined || typeof v === "boolean") return v ?? false;
  const lower = v.toLowerCase();
  if (lower === "true" || lower === "false") return lower === "true";
  throw invalidParameter(`Invalid boolean value: ${v}, must be 'true' or 'false'.`);
}

/** An answer already serialised (trace bodies carry span times no JS number holds). */
function jsonText(c: Context, body: string): Response {
  return c.body(body, 200, { "Content-Type": "application/json" });
}

function pairs(list: { key?: string | undefined; value?: string | undefined }[] | undefined): Map<string, string> {
  return new Map((list ?? []).map((kv) => [kv.key ?? "", kv.value ?? ""]));
}

const V2_STATUSES = ["TRACE_STATUS_UNSPECIFIED", "OK", "ERROR", "IN_PROGRESS"] as const;

/** The v2 TraceStatus as protobuf's parser reads it: a name or its number; anything else is UNSPECIFIED. */
function statusName(status: unknown): (typeof V2_STATUSES)[number] {
  if (typeof status === "number") return V2_STATUSES[status] ?? "TRACE_STATUS_UNSPECIFIED";
  return V2_STATUSES.find((s) => s === status) ?? "TRACE_STATUS_UNSPECIFIED";
}
