import { beforeAll, describe, expect, it } from "vitest";
import { useTestApp } from "../testing.test-helpers.js";

/** With --enable-workspaces, label schemas, review queues and issues belong to their experiment's workspace. */
const t = useTestApp({ enableWorkspaces: true });
const TEAM = { "X-MLFLOW-WORKSPACE": "team-r" };
let exp = "";

async function call(
  method: string,
  path: string,
  body?: Record<string, unknown>,
  headers: Record<string, string> = {},
) {
  const url = new URL(`http://localhost/api/3.0/mlflow${path}`);
  const init: RequestInit = { method, headers: { "Content-Type": "application/json", ...headers } };
  if (method === "GET" && body) for (const [k, v] of Object.entries(body)) url.searchParams.append(k, String(v));
  else if (body) init.body = JSON.stringify(body);
  const res = await t.app.request(url.toString(), init);
  return { status: res.status, body: await res.json() };
}

beforeAll(async () => {
  expect((await call("POST", "/workspaces", { name: "team-r" })).status).toBe(201);
  const created = await t.app.request("http://localhost/api/2.0/mlflow/experiments/create", {
    method: "POST",
    headers: { "Content-Type": "application/json", ...TEAM },
    body: JSON.stringify({ name: "team-review" }),
  });
  exp = (await created.json()).experiment_id;
});

describe("review resources under workspaces", () => {
  it("are found in their workspace only", async () => {
    const schema = await call(
      "POST",
      "/label-schemas/create",
      { experiment_id: exp, name: "q", type: 1, input: { text: {} } },
      TEAM,
    );
    expect(schema.status).toBe(200);
    const sid = schema.body.label_schema.schema_id;
    const queue = await call(
      "POST",
      "/review-queues/create",
      { experiment_id: exp, name: "Q", queue_type: "CUSTOM" },
      TEAM,
    );
    const qid = queue.body.review_queue.queue_id;
    const issue = await call("POST", "/issues", { experiment_id: exp, name: "n", description: "d" }, TEAM);
    const iid = issue.body.issue.issue_id;

    expect((await call("GET", "/label-schemas/get", { schema_id: sid }, TEAM)).status).toBe(200);
    expect((await call("GET", "/review-queues/get", { queue_id: qid }, TEAM)).status).toBe(200);
    expect((await call("GET", `/issues/${iid}`, undefined, TEAM)).status).toBe(200);
    expect((await call("POST", "/issues/search", {}, TEAM)).body.issues).toHaveLength(1);

    // from the default workspace they do not exist, nor does their experiment
    expect((await call("GET", "/label-schemas/get", { schema_id: sid })).status).toBe(404);
    expect((await call("GET", "/review-queues/get", { queue_id: qid })).status).toBe(404);
    expect((await call("POST", "/review-queues/delete", { queue_id: qid })).status).toBe(200);
    expect((await call("GET", "/review-queues/get", { queue_id: qid }, TEAM)).status).toBe(200);
    expect((await call("GET", `/issues/${iid}`)).status).toBe(404);
    expect((await call("POST", "/issues/search", {})).body).toEqual({ next_page_token: "" });
    expect((await call("GET", "/review-queues/list", { experiment_id: exp })).status).toBe(404);
  });
});
