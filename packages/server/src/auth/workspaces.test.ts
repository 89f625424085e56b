import { beforeAll, describe, expect, it } from "vitest";
import { ADMIN, useAuthApp } from "./auth.test-helpers.js";

// With --enable-workspaces, as the reference: no grant means no access, and creating needs a workspace USE grant.
const t = useAuthApp({ enableWorkspaces: true });
const inTeam = { headers: { "X-MLFLOW-WORKSPACE": "team" } };
let alice: { username: string; password: string };
let bob: { username: string; password: string };

beforeAll(async () => {
  alice = await t.addUser("alice");
  bob = await t.addUser("bob");
  const ws = await t.call(ADMIN, "POST", "/workspaces", { name: "team" }, { version: "3.0" });
  expect(ws.status).toBe(201);
  const role = await t.call(ADMIN, "POST", "/roles/create", { name: "members", workspace: "team" }, { version: "3.0" });
  const roleId = role.body.role.id;
  await t.call(
    ADMIN,
    "POST",
    "/roles/permissions/add",
    {
      role_id: roleId,
      resource_type: "workspace",
      resource_pattern: "*",
      permission: "USE",
    },
    { version: "3.0" },
  );
  await t.call(ADMIN, "POST", "/roles/assign", { username: "alice", role_id: roleId }, { version: "3.0" });
});

describe("basic auth with workspaces", () => {
  it("lets members create, and keeps what they create from non-members", async () => {
    const created = await t.call(alice, "POST", "/experiments/create", { name: "team-exp" }, inTeam);
    expect(created.status).toBe(200);
    expect((await t.call(bob, "POST", "/experiments/create", { name: "bob-exp" }, inTeam)).status).toBe(403);
    const id = created.body.experiment_id;
    expect((await t.call(alice, "GET", "/experiments/get", { experiment_id: id }, inTeam)).status).toBe(200);
    expect((await t.call(bob, "GET", "/experiments/get", { experiment_id: id }, inTeam)).status).toBe(403);
  });

  it("lists only the workspaces a user holds a role in", async () => {
    const mine = await t.call(alice, "GET", "/workspaces", undefined, { version: "3.0" });
    expect(mine.body.workspaces.map((w: { name: string }) => w.name)).toEqual(["team"]);
    const none = await t.call(bob, "GET", "/workspaces", undefined, { version: "3.0" });
    expect(none.body.workspaces).toEqual([]);
    expect((await t.call(bob, "GET", "/workspaces/team", undefined, { version: "3.0" })).status).toBe(403);
    // Members too: the reference's `get` fails closed for every non-admin (its validator never matches the path).
    expect((await t.call(alice, "GET", "/workspaces/team", undefined, { version: "3.0" })).status).toBe(403);
    expect((await t.call(ADMIN, "GET", "/workspaces/team", undefined, { version: "3.0" })).status).toBe(200);
  });
});
