import type { Client } from "@libsql/client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { useTestApp } from "../testing.test-helpers.js";
import { rawClient, seedTraces } from "../traces/trace-rows.test-helpers.js";

/** With --enable-workspaces, a trace of another workspace is "not found" to the assessment and metrics calls. */
const t = useTestApp({ enableWorkspaces: true });
let client: Client;
const TRACE = "tr-00000000000000000000000000000b01";
const TEAM = { "X-MLFLOW-WORKSPACE": "team-a" };
let exp = "";

async function call(method: string, path: string, body?: unknown, headers: Record<string, string> = {}) {
  const res = await t.app.request(`http://localhost/api/3.0/mlflow${path}`, {
    method,
    headers: { "Content-Type": "application/json", ...headers },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  return { status: res.status, body: await res.json() };
}

beforeAll(async () => {
  expect((await call("POST", "/workspaces", { name: "team-a" })).status).toBe(201);
  const created = await t.app.request("http://localhost/api/2.0/mlflow/experiments/create", {
    method: "POST",
    headers: { "Content-Type": "application/json", ...TEAM },
    body: JSON.stringify({ name: "team-exp" }),
  });
  exp = (await created.json()).experiment_id;
  client = rawClient(t);
  await seedTraces(client, [{ requestId: TRACE, experimentId: Number(exp) }]);
});
afterAll(() => client.close());

describe("assessments under workspaces", () => {
  const path = `/traces/${TRACE}/assessments`;
  const feedback = { assessment: { assessment_name: "q", feedback: { value: 1 } } };

  it("serve the trace's own workspace", async () => {
    const r = await call("POST", path, feedback, TEAM);
    expect(r.status).toBe(200);
    const id = r.body.assessment.assessment_id;
    expect((await call("GET", `${path}/${id}`, undefined, TEAM)).status).toBe(200);
    // From the default workspace the trace does not exist, with the reference's workspace-store messages.
    const other = await call("GET", `${path}/${id}`);
    expect(other).toMatchObject({ status: 404, body: { message: `Trace with ID '${TRACE}' not found.` } });
    expect((await call("POST", path, feedback)).status).toBe(404);
    expect((await call("DELETE", `${path}/${id}`)).status).toBe(404);
    expect((await call("GET", `${path}/${id}`, undefined, TEAM)).status).toBe(200);
  });

  it("count only the workspace's experiments in trace metrics", async () => {
    const q = { experiment_ids: [exp], view_type: "TRACES", metric_name: "trace_count", aggregations: [{}] };
    expect((await call("POST", "/traces/metrics", q, TEAM)).body.data_points[0].values).toEqual({ COUNT: 1 });
    expect((await call("POST", "/traces/metrics", q)).body.data_points[0].values).toEqual({ COUNT: 0 });
  });
});
