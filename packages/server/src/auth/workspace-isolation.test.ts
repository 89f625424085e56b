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

describe("a workspace admin naming another workspace's role", () => {
  it("cannot reach it by adding a role of their own to the request", async () => {
    // bob administers "bobs"; "team" has a role whose permission is USE.
    expect((await t.call(ADMIN, "POST", "/workspaces", { name: "bobs" }, { version: "3.0" })).status).toBe(201);
    const v3 = { version: "3.0" };
    const own = (await t.call(ADMIN, "POST", "/roles/create", { name: "admins", workspace: "bobs" }, v3)).body.role.id;
    const manage = { role_id: own, resource_type: "workspace", resource_pattern: "*", permission: "MANAGE" };
    expect((await t.call(ADMIN, "POST", "/roles/permissions/add", manage, v3)).status).toBe(200);
    expect((await t.call(ADMIN, "POST", "/roles/assign", { username: "bob", role_id: own }, v3)).status).toBe(200);
    const victim = (await t.call(ADMIN, "POST", "/roles/create", { name: "readers", workspace: "team" }, v3)).body.role
      .id;
    const use = { role_id: victim, resource_type: "experiment", resource_pattern: "*", permission: "READ" };
    const added = await t.call(ADMIN, "POST", "/roles/permissions/add", use, v3);
    expect(added.status).toBe(200);
    const permissionId = added.body.role_permission.id;

    const attempts = [
      ["PATCH", "/roles/permissions/update", { role_id: own, role_permission_id: permissionId, permission: "MANAGE" }],
      ["DELETE", "/roles/permissions/remove", { role_id: own, role_permission_id: permissionId }],
      ["POST", "/roles/create", { role_id: own, name: "planted", workspace: "team" }],
    ] as const;
    for (const [method, path, body] of attempts) {
      const r = await t.call(bob, method, path, body, v3);
      expect(`${path} ${r.status}`).toBe(`${path} 403`);
    }
    const perms = await t.call(ADMIN, "GET", "/roles/permissions/list", { role_id: victim }, v3);
    expect(perms.body.role_permissions).toMatchObject([{ id: permissionId, permission: "READ" }]);
    const teamRoles = await t.call(ADMIN, "GET", "/roles/list", { workspace: "team" }, v3);
    expect(JSON.stringify(teamRoles.body)).not.toContain("planted");
    // Their own workspace's roles stay theirs to manage.
    const mine = await t.call(bob, "POST", "/roles/create", { name: "mine", workspace: "bobs" }, v3);
    expect(mine.status).toBe(200);
  });
});
