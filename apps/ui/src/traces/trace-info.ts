import type { Assessment, TraceInfoV3 } from "@tracklite/schemas";
import { formatDuration } from "../lib/format.js";

/** Reading a TraceInfoV3 for display: times, latency, token usage, previews, keys. Pure functions (trace-info.test.ts). */

export const TRACE_NAME_TAG = "mlflow.traceName";
export const SOURCE_RUN = "mlflow.sourceRun";
export const TOKEN_USAGE = "mlflow.trace.tokenUsage";

/** `request_time` (RFC 3339) in epoch ms; undefined when absent or unreadable. */
export function requestTimeMs(info: TraceInfoV3): number | undefined {
  const t = info.request_time;
  if (t === undefined || t === "") return undefined;
  const ms = /^\d+$/.test(t) ? Number(t) : Date.parse(t);
  return Number.isFinite(ms) ? ms : undefined;
}

/** A protobuf Duration (`"0.057s"`, `"12s"`) in ms; undefined when absent. */
export function durationMs(d: string | undefined): number | undefined {
  if (d === undefined || d === "") return undefined;
  const m = /^(-?\d+(?:\.\d+)?)s$/.exec(d.trim());
  return m ? Number(m[1]) * 1000 : undefined;
}

export interface TokenUsage {
  input?: number;
  output?: number;
  total?: number;
}

/** `trace_metadata["mlflow.trace.tokenUsage"]` (a JSON object of input/output/total tokens), if any. */
export function tokenUsage(info: TraceInfoV3): TokenUsage | undefined {
  const raw = info.trace_metadata?.[TOKEN_USAGE];
  if (!raw) return undefined;
  try {
    const u = JSON.parse(raw) as Record<string, unknown>;
    const n = (v: unknown) => (typeof v === "number" && Number.isFinite(v) ? v : undefined);
    const input = n(u.input_tokens);
    const output = n(u.output_tokens);
    const total =
      n(u.total_tokens) ?? (input !== undefined || output !== undefined ? (input ?? 0) + (output ?? 0) : undefined);
    return { input, output, total };
  } catch {
    return undefined;
  }
}

export const traceName = (info: TraceInfoV3): string => info.tags?.[TRACE_NAME_TAG] ?? "";
export const sourceRun = (info: TraceInfoV3): string | undefined => info.trace_metadata?.[SOURCE_RUN];
export const experimentOf = (info: TraceInfoV3): string | undefined =>
  info.trace_location?.mlflow_experiment?.experiment_id;

/** Tags a user set (MLflow's own `mlflow.*` tags left out). */
export function userTags(info: TraceInfoV3): [string, string][] {
  return Object.entries(info.tags ?? {}).filter(([k]) => !k.startsWith("mlflow."));
}

const clip = (s: string, n: number) => (s.length > n ? `${s.slice(0, n - 1)}…` : s);

/**
 * A one-line preview of a request or response preview (JSON text as the server stores it): a lone string field
 * (`{"question": "…"}`) or the last chat message's content is shown as plain text, anything else as compact JSON.
 */
export function previewText(preview: string | undefined, max = 300): string {
  if (!preview) return "";
  let v: unknown;
  try {
    v = JSON.parse(preview);
  } catch {
    return clip(preview.replace(/\s+/g, " "), max);
  }
  if (typeof v === "string") return clip(v.replace(/\s+/g, " "), max);
  if (v && typeof v === "object" && !Array.isArray(v)) {
    const o = v as Record<string, unknown>;
    const msgs = Array.isArray(o.messages) ? o.messages : undefined;
    const last = msgs?.[msgs.length - 1] as { content?: unknown } | undefined;
    if (typeof last?.content === "string") return clip(last.content.replace(/\s+/g, " "), max);
    const values = Object.values(o);
    if (values.length === 1 && typeof values[0] === "string") return clip(values[0].replace(/\s+/g, " "), max);
  }
  return clip(JSON.stringify(v), max);
}

/** An assessment's value as short text: feedback or expectation value, or the feedback's error. */
export function assessmentValue(a: Assessment): string {
  if (a.feedback) {
    if (a.feedback.error && a.feedback.value === undefined) {
      return `error: ${a.feedback.error.error_message ?? a.feedback.error.error_code ?? ""}`;
    }
    return valueText(a.feedback.value);
  }
  if (a.expectation) {
    if (a.expectation.serialized_value?.value !== undefined) return a.expectation.serialized_value.value;
    return valueText(a.expectation.value);
  }
  return "";
}

export const assessmentKind = (a: Assessment): "feedback" | "expectation" =>
  a.expectation ? "expectation" : "feedback";

function valueText(v: unknown): string {
  if (v === undefined || v === null) return "null";
  return typeof v === "string" ? v : JSON.stringify(v);
}

/** Assessments that count: superseded ones (`valid: false`) left out. */
export const validAssessments = (info: TraceInfoV3): Assessment[] =>
  (info.assessments ?? []).filter((a) => a.valid !== false);

/** Keys seen in loaded traces, for the filter box's autocomplete. */
export interface TraceKeys {
  tags: string[];
  metadata: string[];
  feedback: string[];
  expectation: string[];
  names: string[];
}

export function keysSeen(infos: readonly TraceInfoV3[]): TraceKeys {
  const tags = new Set<string>();
  const metadata = new Set<string>();
  const feedback = new Set<string>();
  const expectation = new Set<string>();
  const names = new Set<string>();
  for (const t of infos) {
    for (const k in t.tags ?? {}) tags.add(k);
    for (const k in t.trace_metadata ?? {}) metadata.add(k);
    for (const a of t.assessments ?? []) {
      if (a.assessment_name) (a.expectation ? expectation : feedback).add(a.assessment_name);
    }
    const name = traceName(t);
    if (name) names.add(name);
  }
  const sorted = (s: Set<string>) => [...s].sort();
  return {
    tags: sorted(tags),
    metadata: sorted(metadata),
    feedback: sorted(feedback),
    expectation: sorted(expectation),
    names: sorted(names),
  };
}

/** A span or trace latency: `0.35ms`, `4.2ms`, `120ms`, then as run durations (`1.5s`, `2m 03s`). */
export function formatLatency(ms: number | undefined): string {
  if (ms === undefined || !Number.isFinite(ms) || ms < 0) return "";
  if (ms === 0) return "0ms";
  if (ms < 1) return `${ms.toFixed(2)}ms`;
  if (ms < 10) return `${ms.toFixed(1)}ms`;
  return formatDuration(ms);
}
