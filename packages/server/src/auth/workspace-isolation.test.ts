import { beforeAll, describe, expect, it } from "vitest";
import { ADMIN, basic, useAuthApp } from "./auth.test-helpers.js";

/**
 * A member of one workspace, with USE on all of it, reaching another workspace's objects by id: with the header of the
 * workspace they hold, with the other's header, or with none.
 */
const t = useAuthApp({ enableWorkspaces: true });
type Who = { username: string; password: string };
let alice: Who;
let bob: Who;
const ws = (name: string) => ({ headers: { "X-MLFLOW-WORKSPACE": name } });
let exp: string;
let run: string;
let modelId: string;

async function member(username: string, workspace: string) {
  expect((await t.call(ADMIN, "POST", "/workspaces", { name: workspace }, { version: "3.0" })).status).toBe(201);
  const role = await t.call(ADMIN, "POST", "/roles/create", { name: "m", workspace }, { version: "3.0" });
  const role_id = role.body.role.id;
  const add = { role_id, resource_type: "workspace", resource_pattern: "*", permission: "USE" };
  await t.call(ADMIN, "POST", "/roles/permissions/add", add, { version: "3.0" });
  await t.call(ADMIN, "POST", "/roles/assign", { username, role_id }, { version: "3.0" });
}

beforeAll(async () => {
  alice = await t.addUser("alice");
  bob = await t.addUser("bob");
  await member("alice", "team");
  await member("bob", "other");
  exp = (await t.call(alice, "POST", "/experiments/create", { name: "team-exp" }, ws("team"))).body.experiment_id;
  run = (await t.call(alice, "POST", "/runs/create", { experiment_id: exp }, ws("team"))).body.run.info.run_id;
  modelId = (await t.call(alice, "POST", "/logged-models", { experiment_id: exp }, ws("team"))).body.model.info
    .model_id;
  await t.call(alice, "POST", "/registered-models/create", { name: "team-model" }, ws("team"));
  const put = await t.app.request(`/api/2.0/mlflow-artifacts/artifacts/${exp}/${run}/artifacts/s.txt`, {
    method: "PUT",
    body: "TEAM-SECRET",
    headers: { Authorization: basic(alice.username, alice.password), "X-MLFLOW-WORKSPACE": "team" },
  });
  expect(put.status).toBe(200);
});

describe("objects of another workspace", () => {
  it("stay out of reach by id, whatever workspace header is sent", async () => {
    // The owner reaches them in their workspace: the setup worked.
    expect((await t.call(alice, "GET", "/runs/get", { run_id: run }, ws("team"))).status).toBe(200);
    expect((await t.call(alice, "GET", `/logged-models/${modelId}`, undefined, ws("team"))).status).toBe(200);
    for (const opts of [ws("other"), ws("team"), {}]) {
      const label = JSON.stringify(opts);
      const reads = [
        await t.call(bob, "GET", "/experiments/get", { experiment_id: exp }, opts),
        await t.call(bob, "GET", "/runs/get", { run_id: run }, opts),
        await t.call(bob, "GET", "/metrics/get-history", { run_id: run, metric_key: "m" }, opts),
        await t.call(bob, "GET", `/logged-models/${modelId}`, undefined, opts),
        await t.call(bob, "GET", "/registered-models/get", { name: "team-model" }, opts),
        await t.call(bob, "GET", "/artifacts/list", { run_id: run }, opts),
        await t.call(bob, "POST", "/runs/set-tag", { run_id: run, key: "k", value: "v" }, opts),
        await t.call(
          bob,
          "POST",
          "/experiments/set-experiment-tag",
          { experiment_id: exp, key: "k", value: "v" },
          opts,
        ),
        await t.call(bob, "POST", "/runs/search", { experiment_ids: [exp] }, opts),
      ];
      for (const [i, r] of reads.entries()) {
        const text = JSON.stringify(r.body ?? "");
        expect(
          `${label} #${i} ${r.status < 400 && (text.includes(run) || text.includes("team-exp") || text.includes("team-model"))}`,
        ).toBe(`${label} #${i} false`);
        if (i >= 6 && i <= 7) expect(`${label} #${i} ${r.status}`).not.toBe(`${label} #${i} 200`);
      }
      const art = await t.app.request(`/get-artifact?run_id=${run}&path=s.txt`, {
        headers: {
          Authorization: basic(bob.username, bob.password),
          ...(opts as { headers?: Record<string, string> }).headers,
        },
      });
      expect(await art.text()).not.toContain("TEAM-SECRET");
      const proxy = await t.app.request(`/api/2.0/mlflow-artifacts/artifacts/${exp}/${run}/artifacts/s.txt`, {
        headers: {
          Authorization: basic(bob.username, bob.password),
          ...(opts as { headers?: Record<string, string> }).headers,
        },
      });
      expect(await proxy.text()).not.toContain("TEAM-SECRET");
    }
  });
});
