import { afterAll, describe, expect, it } from "vitest";
import { useTestApp } from "../testing.test-helpers.js";
import { mlflowTraceId, protobufBody, recordSpans } from "../traces/otlp/otlp.test-helpers.js";
import type { ImportTrace } from "./model.js";
import { createImportSink } from "./sink.js";
import { openTargetApp, type TargetApp, tempTarget } from "./sink.test-helpers.js";

/** A trace made on one tracklite (spans over OTLP, an assessment, a tag, a run link), imported into another. */
const source = useTestApp();
const target = tempTarget();
let app: TargetApp;
afterAll(() => {
  app?.close();
  target.remove();
});

/** Past 2^53 nanoseconds: a trip through a JS number would change it. */
const T0 = 1796542571384794533n;
const MS = 1_000_000n;

const request = async (
  a: { app: { request: (u: string, i?: RequestInit) => Response | Promise<Response> } },
  path: string,
  init?: RequestInit,
) => {
  const res = await a.app.request(`http://localhost${path}`, init);
  return { status: res.status, text: await res.text() };
};
const json = (body: unknown): RequestInit => ({
  method: "POST",
  body: JSON.stringify(body),
  headers: { "Content-Type": "application/json" },
});
/**
 * Big nanosecond times and int64 attribute values quoted, so that parsing keeps them exact (as the REST and database
 * sources hand them over, `parseExactJson`); the token usage below holds int_values.
 */
const parseExact = (text: string) =>
  JSON.parse(text.replace(/"((?:start_|end_)?time_unix_nano|int_value)":(-?\d+)/g, '"$1":"$2"'));

describe("import sink: traces", () => {
  let traceId: string;
  let runId: string;

  async function importInto(): Promise<void> {
    const got = await request(source, `/api/3.0/mlflow/traces/get?trace_id=${traceId}`);
    const trace = parseExact(got.text).trace as ImportTrace["trace"];
    const run = (await source.call("GET", "/runs/get", { run_id: runId })).body.run;
    const experiment = (await source.call("GET", "/experiments/get", { experiment_id: "0" })).body.experiment;
    const sink = await createImportSink({ url: target.url });
    try {
      await sink.experiment(experiment);
      await sink.run("0", { run }, (async function* () {})());
      await sink.trace("0", { trace, linked_run_ids: [runId] });
    } finally {
      await sink.close();
    }
  }

  it("reads back the trace, its spans (exact times), tags, metadata and assessments as the source answers them", async () => {
    runId = (await source.call("POST", "/runs/create", { experiment_id: "0", start_time: 1 })).body.run.info.run_id;
    const spans = recordSpans([
      {
        name: "agent",
        start: T0,
        end: T0 + 166n * MS + 471392n,
        attributes: {
          "mlflow.spanType": "AGENT",
          "mlflow.spanInputs": '{"q": "hello"}',
          "mlflow.traceTag.mlflow.traceName": "agent",
          "session.id": "s1",
        },
      },
      {
        name: "llm",
        parent: "agent",
        start: T0 + 10n * MS,
        end: T0 + 100n * MS,
        attributes: {
          "mlflow.spanType": "LLM",
          "mlflow.chat.tokenUsage": '{"input_tokens": 10, "output_tokens": 5, "total_tokens": 15}',
          "mlflow.spanLogLevel": 20,
        },
      },
    ]);
    const exported = await source.app.request("http://localhost/v1/traces", {
      method: "POST",
      body: protobufBody(spans) as Uint8Array<ArrayBuffer>,
      headers: { "Content-Type": "application/x-protobuf", "x-mlflow-experiment-id": "0" },
    });
    expect(exported.status).toBe(200);
    traceId = mlflowTraceId(spans[0] as (typeof spans)[number]);
    const tagged = await request(source, `/api/2.0/mlflow/traces/${traceId}/tags`, {
      ...json({ key: "team", value: "a" }),
      method: "PATCH",
    });
    expect(tagged.status).toBe(200);
    const assessed = await request(
      source,
      `/api/3.0/mlflow/traces/${traceId}/assessments`,
      json({
        assessment: {
          trace_id: traceId,
          assessment_name: "quality",
          source: { source_type: "HUMAN", source_id: "ana" },
          feedback: { value: 0.5 },
          rationale: "ok",
        },
      }),
    );
    expect(assessed.status, assessed.text).toBe(200);
    // a correction overrides it: the first stays, invalid, and must come across invalid
    const overridden = JSON.parse(assessed.text).assessment.assessment_id as string;
    const corrected = await request(
      source,
      `/api/3.0/mlflow/traces/${traceId}/assessments`,
      json({
        assessment: {
          trace_id: traceId,
          assessment_name: "quality",
          source: { source_type: "HUMAN", source_id: "bo" },
          feedback: { value: 0.9 },
          overrides: overridden,
        },
      }),
    );
    expect(corrected.status, corrected.text).toBe(200);
    await importInto();
    app = await openTargetApp(target.url, target.dir);
    const path = `/api/3.0/mlflow/traces/get?trace_id=${traceId}`;
    const want = await request(source, path);
    expect(want.text).toContain(`${T0}`);
    expect(want.text).toContain('"valid":false');
    expect(want.text).toContain('"int_value":20');
    const mine = await request(app, path);
    expect(JSON.parse(mine.text)).toEqual(JSON.parse(want.text));
    expect(mine).toEqual(want);
    const search = json({ locations: [{ type: "MLFLOW_EXPERIMENT", mlflow_experiment: { experiment_id: "0" } }] });
    expect(await request(app, "/api/3.0/mlflow/traces/search", search)).toEqual(
      await request(source, "/api/3.0/mlflow/traces/search", search),
    );
  });

  it("changes nothing when imported again", async () => {
    app.close();
    await importInto();
    app = await openTargetApp(target.url, target.dir);
    const path = `/api/3.0/mlflow/traces/get?trace_id=${traceId}`;
    expect(await request(app, path)).toEqual(await request(source, path));
  });
});
