import { describe, expect, it } from "vitest";
import { useTestApp } from "../testing.test-helpers.js";
import { send } from "../workspaces/send.test-helpers.js";

/** POST /api/3.0/mlflow/traces/search and MLflow 2's GET /api/2.0/mlflow/traces, end to end over HTTP. */

const V3 = { prefix: "/api/3.0" };

describe("search_traces over HTTP", () => {
  const t = useTestApp();
  let exp = "";
  const ids: string[] = [];

  it("finds traces by tag, metadata and name, newest first, in pages (v3)", async () => {
    exp = (await t.call("POST", "/experiments/create", { name: "search-traces" })).body.experiment_id;
    for (let i = 0; i < 5; i++) {
      const r = await t.call("POST", "/traces", {
        experiment_id: exp,
        timestamp_ms: 1_700_000_000_000 + i * 1000,
        request_metadata: [{ key: "user", value: i % 2 ? "ann" : "bob" }],
        tags: [
          { key: "mlflow.traceName", value: `t${i}` },
          { key: "env", value: i < 3 ? "prod" : "dev" },
        ],
      });
      expect(r.status).toBe(200);
      ids.push(r.body.trace_info.request_id);
    }
    const search = (body: Record<string, unknown>) =>
      send(t, "POST", "/mlflow/traces/search", {
        ...V3,
        body: { locations: [{ type: "MLFLOW_EXPERIMENT", mlflow_experiment: { experiment_id: exp } }], ...body },
      });
    const prod = await search({ filter: "tags.env = 'prod'" });
    expect(prod.status).toBe(200);
    expect(prod.body.traces.map((x: { trace_id: string }) => x.trace_id)).toEqual([ids[2], ids[1], ids[0]]);
    expect(prod.body.traces[0]).toMatchObject({ tags: { env: "prod", "mlflow.traceName": "t2" } });
    expect(prod.body.next_page_token).toBeUndefined();

    const first = await search({ max_results: 2, order_by: ["timestamp_ms ASC"] });
    expect(first.body.traces.map((x: { trace_id: string }) => x.trace_id)).toEqual([ids[0], ids[1]]);
    const second = await search({
      max_results: 2,
      order_by: ["timestamp_ms ASC"],
      page_token: first.body.next_page_token,
    });
    expect(second.body.traces.map((x: { trace_id: string }) => x.trace_id)).toEqual([ids[2], ids[3]]);

    const named = await search({ filter: "name = 't4' AND metadata.user = 'bob'" });
    expect(named.body.traces.map((x: { trace_id: string }) => x.trace_id)).toEqual([ids[4]]);
    expect(await search({ filter: "tags.env = 'none'" })).toMatchObject({ status: 200, body: {} });
  });

  it("serves MLflow 2's GET /traces", async () => {
    const r = await t.call("GET", "/traces", { experiment_ids: [exp], filter: "metadata.user = 'ann'" });
    expect(r.status).toBe(200);
    expect(r.body.traces.map((x: { request_id: string }) => x.request_id)).toEqual([ids[3], ids[1]]);
    expect(r.body.traces[0]).toMatchObject({ experiment_id: exp, status: "IN_PROGRESS" });
  });

  it("refuses bad searches with the reference's messages", async () => {
    const v3 = (body: Record<string, unknown>) =>
      send(t, "POST", "/mlflow/traces/search", {
        ...V3,
        body: { locations: [{ type: "MLFLOW_EXPERIMENT", mlflow_experiment: { experiment_id: exp } }], ...body },
      });
    expect(await v3({ filter: "tags.env > 'a'" })).toMatchObject({
      status: 400,
      body: {
        error_code: "INVALID_PARAMETER_VALUE",
        message: expect.stringMatching(/^Invalid comparator '>' not one of/),
      },
    });
    expect((await v3({ filter: "status = 'OK' OR status = 'ERROR'" })).body.message).toBe(
      "Invalid clause(s) in filter string: 'OR'",
    );
    expect((await v3({ order_by: ["span.name"] })).body.message).toBe("Invalid identifier type 'span'");
    expect((await v3({ page_token: "abc" })).body.message).toBe("Invalid page token, could not base64-decode");
    expect((await v3({ max_results: 0 })).body.message).toBe(
      "Invalid value 0 for parameter 'max_results' supplied. It must be a positive integer",
    );
    const tooMany = await v3({ max_results: 501 });
    expect(tooMany).toMatchObject({ status: 400, body: { error_code: "INVALID_PARAMETER_VALUE" } });
    expect(tooMany.body.message).toMatch(/^Invalid value 501 for parameter 'max_results' supplied/);
    const missing = await send(t, "POST", "/mlflow/traces/search", { ...V3, body: {} });
    expect(missing.body.message).toBe(
      "Missing value for required parameter 'locations'. See the API docs for more information about request parameters.",
    );
  });
});
