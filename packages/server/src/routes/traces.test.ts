import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { useTestApp } from "../testing.test-helpers.js";
import { send } from "../workspaces/send.test-helpers.js";

const V3 = { prefix: "/api/3.0" };

/** A stored span as the OTLP path writes it: the API's JSON, times as exact digits. */
function spanContent(id: string, parent: string | null, start: string) {
  const parentPart = parent ? `,"parent_span_id":"${parent}"` : "";
  return `{"trace_id":"AAAAAAAAAAAAAAAAAAAAAA==","span_id":"${id}"${parentPart},"name":"s-${id}","start_time_unix_nano":${start},"end_time_unix_nano":${start}9,"status":{"code":"STATUS_CODE_OK"}}`;
}

describe("trace reads, tags, deletes (v3 and v2)", () => {
  const t = useTestApp();

  async function v2Trace(experimentId: string, timestampMs: number) {
    const r = await t.call("POST", "/traces", {
      experiment_id: experimentId,
      timestamp_ms: timestampMs,
      request_metadata: [{ key: "mlflow.trace.session", value: "s1" }],
      tags: [
        { key: "mlflow.traceName", value: "predict" },
        { key: "team", value: "a" },
      ],
    });
    expect(r.status).toBe(200);
    return r.body.trace_info.request_id as string;
  }

  it("starts, ends and reads a v2 trace, and reads it in the v3 form", async () => {
    const exp = (await t.call("POST", "/experiments/create", { name: "tr-v2" })).body.experiment_id;
    const id = await v2Trace(exp, 1_700_000_000_123);
    expect(id).toMatch(/^[0-9a-f]{32}$/);
    const end = await send(t, "PATCH", `/mlflow/traces/${id}`, {
      body: {
        timestamp_ms: 1_700_000_001_623,
        status: "OK",
        tags: [{ key: "done", value: "yes" }],
        request_metadata: [{ key: "mlflow.trace.tokenUsage", value: '{"input_tokens": 3, "output_tokens": 4}' }],
      },
    });
    expect(end.status).toBe(200);
    expect(end.body.trace_info).toMatchObject({ request_id: id, execution_time_ms: 1500, status: "OK" });
    const info = await send(t, "GET", `/mlflow/traces/${id}`, V3);
    expect(info.body.trace.trace_info).toMatchObject({
      trace_id: id,
      trace_location: { type: "MLFLOW_EXPERIMENT", mlflow_experiment: { experiment_id: exp } },
      request_time: "2023-11-14T22:13:20.123Z",
      execution_duration: "1.500s",
      state: "OK",
      tags: { "mlflow.traceName": "predict", team: "a", done: "yes" },
      trace_metadata: { "mlflow.trace.session": "s1" },
    });
    expect(info.body.trace.trace_info.tags["mlflow.artifactLocation"]).toBe(
      `mlflow-artifacts:/${exp}/traces/${id}/artifacts`,
    );
    const v2 = await t.call("GET", `/traces/${id}/info`);
    expect(v2.body.trace_info.tags).toContainEqual({ key: "team", value: "a" });
  });

  it("sends spans as stored, root first, and waits for none when partial is allowed", async () => {
    const exp = (await t.call("POST", "/experiments/create", { name: "tr-spans" })).body.experiment_id;
    const id = await v2Trace(exp, 1000);
    const row = await t.store.traces.row(id);
    const db = (t.store as unknown as { traces: { h: { client: import("@libsql/client").Client } } }).traces.h.client;
    const big = "1796542304606409058";
    for (const [sid, parent, start] of [
      ["Ag==", "AQ==", big],
      ["AQ==", null, "1796542304606409000"],
    ] as const) {
      await db.execute({
        sql: "INSERT INTO spans (trace_row, span_id, parent_span_id, name, status, start_time_unix_nano, content) VALUES (?, ?, ?, 'x', 'OK', ?, ?)",
        args: [row.id, sid, parent, BigInt(start), spanContent(sid, parent, start)],
      });
    }
    const res = await t.app.request(`http://localhost/api/3.0/mlflow/traces/get?trace_id=${id}&allow_partial=true`);
    const text = await res.text();
    expect(text).not.toContain("error_code");
    expect(res.status).toBe(200);
    expect(text).toContain(`"start_time_unix_nano":${big},`);
    const body = JSON.parse(text);
    expect(body.trace.spans.map((s: { span_id: string }) => s.span_id)).toEqual(["AQ==", "Ag=="]);
    const batch = await (
      await t.app.request(`http://localhost/api/3.0/mlflow/traces/batchGet?trace_ids=${id}&trace_ids=tr-nope`)
    ).json();
    expect(batch.traces).toHaveLength(1);
    expect(batch.traces[0].spans).toHaveLength(2);

    // The UI's calls: the tree in pages of columns, then contents by id.
    const ajax = { prefix: "/ajax-api/3.0" };
    const page1 = await send(t, "GET", "/tracklite/traces/span-tree", {
      ...ajax,
      body: { trace_id: id, max_results: 1 },
    });
    expect(page1.body).toMatchObject({ span_ids: ["AQ=="], parent_ids: [null], start_us: [1796542304606409] });
    const page2 = await send(t, "GET", "/tracklite/traces/span-tree", {
      ...ajax,
      body: { trace_id: id, max_results: 1, page_token: page1.body.next_page_token },
    });
    expect(page2.body).toMatchObject({ span_ids: ["Ag=="], parent_ids: ["AQ=="] });
    expect(page2.body.next_page_token).toBeUndefined();
    const spans = await t.app.request(
      `http://localhost/ajax-api/3.0/tracklite/traces/spans?trace_id=${id}&span_ids=Ag==&span_ids=AQ==&span_ids=zz`,
    );
    const spansText = await spans.text();
    expect(spansText).toContain(`"start_time_unix_nano":${big},`);
    expect(JSON.parse(spansText).spans.map((s: { span_id: string }) => s.span_id)).toEqual(["Ag==", "AQ=="]);
  });

  it("serves spans a client logged to the artifact store only (traces.json), and get-trace-artifact", async () => {
    const exp = (await t.call("POST", "/experiments/create", { name: "tr-artifact" })).body.experiment_id;
    const id = await v2Trace(exp, 1000);
    const dir = join(t.dir, "artifacts", exp, "traces", id, "artifacts");
    mkdirSync(dir, { recursive: true });
    const file =
      '{"spans": [{"trace_id": "Pfr2eORO+/hBUjGHyLp2fA==", "span_id": "juP1U36/VOs=", "parent_span_id": null, ' +
      '"name": "outer", "start_time_unix_nano": 1796542304009764784, "end_time_unix_nano": 1796542304400407208, ' +
      '"events": [{"name": "exception", "timestamp": 1796542304009764785, "attributes": {"exception.message": "boom"}}], ' +
      '"status": {"code": "STATUS_CODE_ERROR", "message": "boom"}, "attributes": {"mlflow.spanType": "\\"CHAIN\\"", ' +
      '"mlflow.spanInputs": "{\\"q\\": [1, 2.5, true, null]}"}, "links": []}]}';
    writeFileSync(join(dir, "traces.json"), file);
    const res = await t.app.request(`http://localhost/api/3.0/mlflow/traces/get?trace_id=${id}`);
    const text = await res.text();
    expect(res.status).toBe(200);
    expect(text).toContain('"start_time_unix_nano":1796542304009764784');
    expect(text).toContain('"time_unix_nano":1796542304009764785');
    const span = JSON.parse(text).trace.spans[0];
    expect(span).toMatchObject({
      span_id: "juP1U36/VOs=",
      name: "outer",
      status: { code: "STATUS_CODE_ERROR", message: "boom" },
      events: [{ name: "exception", attributes: [{ key: "exception.message", value: { string_value: "boom" } }] }],
    });
    expect(span.parent_span_id).toBeUndefined();
    expect(span.attributes).toEqual([
      { key: "mlflow.spanType", value: { string_value: "CHAIN" } },
      {
        key: "mlflow.spanInputs",
        value: {
          kvlist_value: {
            values: [
              {
                key: "q",
                value: { array_value: { values: [{ int_value: 1 }, { double_value: 2.5 }, { bool_value: true }, {}] } },
              },
            ],
          },
        },
      },
    ]);
    const artifact = await t.app.request(`http://localhost/ajax-api/2.0/mlflow/get-trace-artifact?request_id=${id}`);
    expect(await artifact.text()).toBe(file);
    // From the database's spans, the same form the file has.
    const row = await t.store.traces.row(id);
    const db = (t.store as unknown as { traces: { h: { client: import("@libsql/client").Client } } }).traces.h.client;
    const apiSpan = text.slice(text.indexOf('"spans":[') + 9, text.lastIndexOf("]}"));
    await db.execute({
      sql: "INSERT INTO spans (trace_row, span_id, name, status, start_time_unix_nano, content) VALUES (?, 'a', 'x', 'OK', 1, ?)",
      args: [row.id, apiSpan],
    });
    const fromDb = await (
      await t.app.request(`http://localhost/ajax-api/3.0/mlflow/get-trace-artifact?request_id=${id}`)
    ).text();
    expect(fromDb).toContain('"start_time_unix_nano":1796542304009764784');
    expect(JSON.parse(fromDb).spans[0]).toMatchObject({
      parent_span_id: null,
      attributes: { "mlflow.spanType": '"CHAIN"', "mlflow.spanInputs": '{"q": [1, 2.5, true, null]}' },
      events: [{ name: "exception", attributes: { "exception.message": "boom" } }],
      status: { code: "STATUS_CODE_ERROR", message: "boom" },
    });
  });

  it("stores the assessments a v3 trace info carries", async () => {
    const exp = (await t.call("POST", "/experiments/create", { name: "tr-start-assess" })).body.experiment_id;
    const r = await send(t, "POST", "/mlflow/traces", {
      ...V3,
      body: {
        trace: {
          trace_info: {
            trace_id: "tr-00000000000000000000000000000abc",
            trace_location: { type: "MLFLOW_EXPERIMENT", mlflow_experiment: { experiment_id: exp } },
            request_time: "2026-01-01T00:00:00.500Z",
            execution_duration: "1.5s",
            state: "OK",
            assessments: [
              {
                assessment_name: "q",
                source: { source_type: "HUMAN", source_id: "bob" },
                feedback: { value: 0.5 },
                create_time: "2026-01-01T00:00:01Z",
                last_update_time: "2026-01-01T00:00:01Z",
              },
            ],
          },
        },
      },
    });
    expect(r.status).toBe(200);
    const [a] = r.body.trace.trace_info.assessments;
    expect(a).toMatchObject({
      assessment_name: "q",
      trace_id: "tr-00000000000000000000000000000abc",
      source: { source_type: "HUMAN", source_id: "bob" },
      create_time: "2026-01-01T00:00:01Z",
      feedback: { value: 0.5 },
      valid: true,
    });
    expect(a.assessment_id).toMatch(/^a-[0-9a-f]{32}$/);
    const got = await send(t, "GET", "/mlflow/traces/tr-00000000000000000000000000000abc", V3);
    expect(got.body.trace.trace_info.assessments).toEqual([a]);
  });

  it("answers unknown traces with the reference's messages", async () => {
    const info = await send(t, "GET", "/mlflow/traces/tr-nope", V3);
    expect(info.status).toBe(404);
    expect(info.body.message).toBe("Trace with ID 'tr-nope' not found.");
    const get = await send(t, "GET", "/mlflow/traces/get", { ...V3, body: { trace_id: "tr-nope" } });
    expect(get.body.message).toBe("Trace with ID tr-nope is not found.");
    const tag = await send(t, "PATCH", "/mlflow/traces/tr-nope/tags", { ...V3, body: { key: "a", value: "b" } });
    expect(tag.status).toBe(400);
    expect(tag.body.error_code).toBe("BAD_REQUEST");
    const del = await send(t, "DELETE", "/mlflow/traces/tr-nope/tags", { ...V3, body: { key: "a" } });
    expect(del.body.message).toBe("No trace tag with key 'a' for trace with ID 'tr-nope'");
    const blocked = await send(t, "PATCH", "/mlflow/traces/x/tags", {
      ...V3,
      body: { key: "mlflow.trace.spansLocation", value: "b" },
    });
    expect(blocked.body.message).toBe("Tag 'mlflow.trace.spansLocation' is immutable and cannot be set on a trace.");
  });

  it("sets and deletes tags, the trace name among them", async () => {
    const exp = (await t.call("POST", "/experiments/create", { name: "tr-tags" })).body.experiment_id;
    const id = await v2Trace(exp, 5);
    expect(
      (await send(t, "PATCH", `/mlflow/traces/${id}/tags`, { ...V3, body: { key: "k", value: "v" } })).status,
    ).toBe(200);
    expect((await send(t, "DELETE", `/mlflow/traces/${id}/tags`, { ...V3, body: { key: "team" } })).status).toBe(200);
    expect(
      (await send(t, "DELETE", `/mlflow/traces/${id}/tags`, { ...V3, body: { key: "mlflow.traceName" } })).status,
    ).toBe(200);
    const tags = (await send(t, "GET", `/mlflow/traces/${id}`, V3)).body.trace.trace_info.tags;
    expect(tags.k).toBe("v");
    expect(tags.team).toBeUndefined();
    expect(tags["mlflow.traceName"]).toBeUndefined();
  });

  it("deletes by ids and by timestamp with max_traces, oldest first", async () => {
    const exp = (await t.call("POST", "/experiments/create", { name: "tr-del" })).body.experiment_id;
    const ids = [];
    for (const ts of [10, 20, 30, 40]) ids.push(await v2Trace(exp, ts));
    const none = await t.call("POST", "/traces/delete-traces", { experiment_id: exp });
    expect(none.body.message).toBe("Either `max_timestamp_millis` or `trace_ids` must be specified.");
    const byIds = await t.call("POST", "/traces/delete-traces", { experiment_id: exp, request_ids: [ids[3]] });
    expect(byIds.body).toEqual({ traces_deleted: 1 });
    const byTime = await send(t, "POST", "/mlflow/traces/delete-traces", {
      ...V3,
      body: { experiment_id: exp, max_timestamp_millis: 35, max_traces: 2 },
    });
    expect(byTime.body).toEqual({ traces_deleted: 2 });
    const left = await send(t, "POST", "/mlflow/traces/batchGetInfos", { ...V3, body: { trace_ids: ids } });
    expect(left.body.trace_infos.map((i: { trace_id: string }) => i.trace_id)).toEqual([ids[2]]);
  });

  it("links traces to a run and prompts to a trace, once each", async () => {
    const exp = (await t.call("POST", "/experiments/create", { name: "tr-link" })).body.experiment_id;
    const id = await v2Trace(exp, 5);
    const run = (await t.call("POST", "/runs/create", { experiment_id: exp })).body.run.info.run_id;
    for (let i = 0; i < 2; i++) {
      expect((await t.call("POST", "/traces/link-to-run", { trace_ids: [id], run_id: run })).status).toBe(200);
    }
    expect(await t.store.traces.linkedToRun(run)).toEqual([id]);
    const many = await t.call("POST", "/traces/link-to-run", {
      trace_ids: Array.from({ length: 101 }, (_, i) => `t${i}`),
      run_id: run,
    });
    expect(many.body.message).toBe(
      "Cannot link more than 100 traces to a run in a single request. Provided 101 traces.",
    );
    const prompts = await t.call("POST", "/traces/link-prompts", {
      trace_id: "tr-nope",
      prompt_versions: [{ name: "p", version: "1" }],
    });
    expect(prompts.body.message).toBe("Trace with ID 'tr-nope' not found.");
  });
});
