import { describe, expect, it } from "vitest";
import { useAuthApp } from "./auth.test-helpers.js";
import { Checker } from "./checker.js";
import type { Grant } from "./permissions.js";
import { redactTraceAnswer, TRACE_REDACTIONS } from "./trace-redaction.js";

const t = useAuthApp();

const g = (resource_type: string, resource_pattern: string, permission: string): Grant => ({
  resource_type,
  resource_pattern,
  permission,
});
const checker = (...grants: Grant[]) => new Checker(t.store, grants, "READ");

const info = (experimentId: string) => ({
  trace_id: `tr-${experimentId}`,
  trace_location: { type: "MLFLOW_EXPERIMENT", mlflow_experiment: { experiment_id: experimentId } },
  request_time: "2026-01-01T00:00:00Z",
  state: "OK",
  trace_metadata: { "mlflow.sourceRun": "r1", "mlflow.modelId": "m-1", "mlflow.user": "alice" },
  assessments: [{ assessment_id: "a-1", assessment_name: "correct" }],
});
const v2Info = () => ({
  request_id: "tr-1",
  experiment_id: "1",
  timestamp_ms: 1,
  status: "OK",
  request_metadata: [{ key: "mlflow.sourceRun", value: "r1" }],
});

const redact = (name: string, body: Record<string, unknown>, check: Checker) => {
  const redaction = TRACE_REDACTIONS[name];
  if (!redaction) throw new Error(`no redaction for ${name}`);
  return redactTraceAnswer(body, redaction, check);
};

describe("trace answer redaction", () => {
  it("leaves an answer alone when nothing is denied", () => {
    const body = { trace: { trace_info: info("1"), spans: [] } };
    expect(redact("getTrace", body, checker(g("experiment", "1", "READ")))).toBe(false);
    expect(body).toEqual({ trace: { trace_info: info("1"), spans: [] } });
  });

  it("withholds assessments where the assessment tier is denied, and where the experiment decides without a grant", () => {
    const denied = { trace: { trace_info: info("1") } };
    expect(redact("getTraceInfoV3", denied, checker(g("assessment", "*", "DENY")))).toBe(true);
    expect(denied.trace.trace_info).not.toHaveProperty("assessments");
    expect(denied.trace.trace_info.trace_metadata).toEqual(info("1").trace_metadata);

    // No assessment grant: each trace's experiment decides; an assessment grant overrides the experiment's DENY.
    const search = { traces: [info("1"), info("2")], next_page_token: "x" };
    expect(redact("searchTracesV3", search, checker(g("experiment", "2", "DENY")))).toBe(true);
    expect(search.traces[0]?.assessments).toHaveLength(1);
    expect(search.traces[1]).not.toHaveProperty("assessments");
    const granted = { trace_infos: [info("2")] };
    expect(
      redact("batchGetTraceInfos", granted, checker(g("experiment", "2", "DENY"), g("assessment", "*", "READ"))),
    ).toBe(false);
  });

  it("withholds the metadata naming a run or logged model of a denied tier", () => {
    const batch = { traces: [{ trace_info: info("1") }] };
    expect(redact("batchGetTraces", batch, checker(g("run", "*", "DENY")))).toBe(true);
    expect(batch.traces[0]?.trace_info.trace_metadata).toEqual({ "mlflow.modelId": "m-1", "mlflow.user": "alice" });
    const started = { trace: { trace_info: info("1") } };
    expect(redact("startTraceV3", started, checker(g("logged_model", "*", "DENY"), g("assessment", "*", "DENY")))).toBe(
      true,
    );
    // Starting a trace withholds metadata only, as the reference's redact_start_trace_v3_metadata.
    expect(started.trace.trace_info.assessments).toHaveLength(1);
    expect(started.trace.trace_info.trace_metadata).toEqual({ "mlflow.sourceRun": "r1", "mlflow.user": "alice" });
  });

  it("filters the v2 key/value metadata, leaving an emptied list out", () => {
    const body = { trace_info: v2Info() };
    expect(redact("getTraceInfoV2", body, checker(g("run", "*", "DENY")))).toBe(true);
    expect(body.trace_info).not.toHaveProperty("request_metadata");
    const search = { traces: [v2Info()] };
    expect(redact("searchTracesV2", search, checker(g("logged_model", "*", "DENY")))).toBe(false);
  });

  it("never withholds from a workspace admin", () => {
    const body = { trace: { trace_info: info("1") } };
    expect(redact("getTrace", body, checker(g("workspace", "*", "MANAGE"), g("run", "*", "DENY")))).toBe(false);
  });
});
