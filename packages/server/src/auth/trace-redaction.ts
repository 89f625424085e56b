import type { Checker } from "./checker.js";

type Row = Record<string, unknown>;
const rows = (v: unknown): Row[] =>
  Array.isArray(v)
    ? (v as Row[]).filter((r) => r && typeof r === "object")
    : v && typeof v === "object"
      ? [v as Row]
      : [];
const obj = (v: unknown): Row => (v && typeof v === "object" && !Array.isArray(v) ? (v as Row) : {});

/**
 * The trace metadata keys that name another resource, by the tier that withholds them: a user denied the run tier
 * must not learn a trace's source run from its metadata. @see _TRACE_METADATA_SIBLING_TIERS
 */
const METADATA_TIERS = { "mlflow.sourceRun": "run", "mlflow.modelId": "logged_model" } as const;

/** Where a trace answer keeps its trace infos, and whether their assessments are judged too. */
interface TraceRedaction {
  /** v3 trace infos: `trace_metadata` a map, `assessments` a list. */
  v3?: (body: Row) => Row[];
  /** v2 trace infos: `request_metadata` a list of key/value pairs. */
  v2?: (body: Row) => Row[];
  /** Whether the assessments of each trace are withheld where the user may not read its experiment's assessments. */
  assessments?: boolean;
}

const traceOf = (b: Row) => [obj(obj(b.trace).trace_info)];
const v2Info = (b: Row) => rows(b.trace_info);

/** @see mlflow/server/auth/__init__.py AFTER_REQUEST_PATH_HANDLERS (the redact_*trace* functions) */
export const TRACE_REDACTIONS: Record<string, TraceRedaction> = {
  startTraceV3: { v3: traceOf },
  getTrace: { v3: traceOf, assessments: true },
  getTraceInfoV3: { v3: traceOf, assessments: true },
  batchGetTraces: { v3: (b) => rows(b.traces).map((t) => obj(t.trace_info)), assessments: true },
  batchGetTraceInfos: { v3: (b) => rows(b.trace_infos), assessments: true },
  searchTracesV3: { v3: (b) => rows(b.traces), assessments: true },
  startTraceV2: { v2: v2Info },
  endTraceV2: { v2: v2Info },
  getTraceInfoV2: { v2: v2Info },
  searchTracesV2: { v2: (b) => rows(b.traces) },
};

/** The metadata keys to withhold: those whose tier the user is denied workspace-wide (`run` / `logged_model`, `*`). */
function withheldKeys(check: Checker): Set<string> {
  return new Set(
    Object.entries(METADATA_TIERS)
      .filter(([, tier]) => !check.ok([{ type: tier, id: "*", action: "not_denied" }]))
      .map(([key]) => key),
  );
}

/**
 * Withholds what the user may not see from a trace answer, in place: the assessments of traces in experiments whose
 * assessments they may not read (an assessment grant decides; without one, the experiment), and the metadata naming
 * a run or logged model of a denied tier. Returns whether anything was withheld.
 * @see _withhold_denied_assessments, _withhold_denied_trace_metadata_siblings
 */
export function redactTraceAnswer(body: Row, redaction: TraceRedaction, check: Checker): boolean {
  let changed = false;
  const v3 = redaction.v3?.(body) ?? [];
  if (redaction.assessments) {
    const readable = new Map<string, boolean>();
    for (const info of v3) {
      if (!Array.isArray(info.assessments) || info.assessments.length === 0) continue;
      const exp = String(obj(obj(info.trace_location).mlflow_experiment).experiment_id ?? "");
      let ok = readable.get(exp);
      if (ok === undefined) {
        ok = check.ok([{ type: "assessment", id: "*", action: "read", fallback: [["experiment", exp]] }]);
        readable.set(exp, ok);
      }
      if (!ok) {
        delete info.assessments;
        changed = true;
      }
    }
  }
  const v2 = redaction.v2?.(body) ?? [];
  const named =
    v3.some((i) => Object.keys(obj(i.trace_metadata)).length > 0) ||
    v2.some((i) => rows(i.request_metadata).length > 0);
  if (!named) return changed;
  const strip = withheldKeys(check);
  if (strip.size === 0) return changed;
  for (const info of v3) {
    const metadata = obj(info.trace_metadata);
    for (const key of Object.keys(metadata))
      if (strip.has(key)) {
        delete metadata[key];
        changed = true;
      }
    // An empty map is left out of the answer, as protobuf's JSON leaves it out.
    if (info.trace_metadata && Object.keys(metadata).length === 0) delete info.trace_metadata;
  }
  for (const info of v2) {
    const metadata = rows(info.request_metadata);
    const kept = metadata.filter((kv) => !strip.has(String(kv.key)));
    if (kept.length !== metadata.length) {
      if (kept.length > 0) info.request_metadata = kept;
      else delete info.request_metadata;
      changed = true;
    }
  }
  return changed;
}
