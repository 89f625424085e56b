import { beforeAll, describe, expect, it } from "vitest";
import { useTestApp } from "../testing.test-helpers.js";

/** With --enable-workspaces, another workspace's scorers are out of sight, as its experiments are. */
const t = useTestApp({ enableWorkspaces: true });
const TEAM = { "X-MLFLOW-WORKSPACE": "team-a" };
let exp = "";
let scorerId = "";

async function call(
  method: string,
  path: string,
  body?: Record<string, unknown>,
  headers: Record<string, string> = {},
) {
  const url = new URL(`http://localhost/api/3.0/mlflow${path}`);
  if (method === "GET" && body) for (const [k, v] of Object.entries(body)) url.searchParams.append(k, String(v));
  const res = await t.app.request(url.toString(), {
    method,
    headers: { "Content-Type": "application/json", ...headers },
    ...(method === "GET" || body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  return { status: res.status, body: await res.json() };
}

const judge = JSON.stringify({ name: "j", instructions_judge_pydantic_data: { model: "openai:/gpt-4o" } });

beforeAll(async () => {
  expect((await call("POST", "/workspaces", { name: "team-a" })).status).toBe(201);
  const created = await t.app.request("http://localhost/api/2.0/mlflow/experiments/create", {
    method: "POST",
    headers: { "Content-Type": "application/json", ...TEAM },
    body: JSON.stringify({ name: "team-exp" }),
  });
  exp = (await created.json()).experiment_id;
  const r = await call("POST", "/scorers/register", { experiment_id: exp, name: "j", serialized_scorer: judge }, TEAM);
  expect(r.status).toBe(200);
  scorerId = r.body.scorer_id;
  await call("PUT", "/scorers/online-config", { experiment_id: exp, name: "j", sample_rate: 0 }, TEAM);
});

describe("scorers under workspaces", () => {
  it("serve their experiment's workspace", async () => {
    expect((await call("GET", "/scorers/get", { experiment_id: exp, name: "j" }, TEAM)).status).toBe(200);
    expect((await call("GET", "/scorers/list", undefined, TEAM)).body.scorers).toHaveLength(1);
    expect((await call("GET", "/scorers/online-configs", { scorer_ids: scorerId }, TEAM)).body.configs).toHaveLength(1);
  });

  it("are not found from another workspace", async () => {
    const get = await call("GET", "/scorers/get", { experiment_id: exp, name: "j" });
    expect(get.status).toBe(404);
    expect(get.body.message).toBe(`No Experiment with id=${exp} exists`);
    expect((await call("GET", "/scorers/list")).body).toEqual({});
    expect((await call("GET", "/scorers/list", { experiment_ids: exp })).body).toEqual({});
    expect((await call("GET", "/scorers/online-configs", { scorer_ids: scorerId })).body).toEqual({ configs: [] });
    const reg = await call("POST", "/scorers/register", { experiment_id: exp, name: "x", serialized_scorer: judge });
    expect(reg.status).toBe(404);
  });
});
