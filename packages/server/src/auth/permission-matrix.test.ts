import { beforeAll, describe, expect, it } from "vitest";
import { ADMIN, useAuthApp } from "./auth.test-helpers.js";

const t = useAuthApp();
type Who = { username: string; password: string };
let alice: Who;
let bob: Who;
let carol: Who;
let exp: string;
let run: string;

const grant = (username: string, resource_type: string, resource_id: string, permission: string, as: Who = ADMIN) =>
  t.call(
    as,
    "POST",
    "/users/permissions/grant",
    { username, resource_type, resource_id, permission },
    { version: "3.0" },
  );

beforeAll(async () => {
  alice = await t.addUser("alice");
  bob = await t.addUser("bob");
  carol = await t.addUser("carol");
  exp = (await t.call(alice, "POST", "/experiments/create", { name: "alice-exp" })).body.experiment_id;
  run = (await t.call(alice, "POST", "/runs/create", { experiment_id: exp })).body.run.info.run_id;
});

describe("experiments and runs", () => {
  it("gives the creator MANAGE, and others the default READ", async () => {
    const p = await t.call(
      ADMIN,
      "GET",
      "/users/permissions/get",
      {
        username: "alice",
        resource_type: "experiment",
        resource_id: exp,
      },
      { version: "3.0" },
    );
    expect(p.body).toEqual({ allowed: true, permission: "MANAGE" });
    expect((await t.call(bob, "GET", "/experiments/get", { experiment_id: exp })).status).toBe(200);
    expect((await t.call(bob, "GET", "/runs/get", { run_id: run })).status).toBe(200);
    expect((await t.call(bob, "POST", "/experiments/update", { experiment_id: exp, new_name: "x" })).status).toBe(403);
    expect((await t.call(bob, "POST", "/runs/create", { experiment_id: exp })).status).toBe(403);
    const log = await t.call(bob, "POST", "/runs/log-metric", {
      run_id: run,
      key: "m",
      value: 1,
      timestamp: 1,
      step: 0,
    });
    expect(log).toMatchObject({ status: 403, body: "Permission denied" });
  });

  it("lets a MANAGE holder grant, and EDIT write but not delete", async () => {
    expect((await grant("bob", "experiment", exp, "EDIT", bob)).status).toBe(403);
    expect((await grant("bob", "experiment", exp, "EDIT", alice)).status).toBe(200);
    expect((await grant("bob", "experiment", exp, "EDIT", alice)).body.error_code).toBe("RESOURCE_ALREADY_EXISTS");
    const log = await t.call(bob, "POST", "/runs/log-metric", {
      run_id: run,
      key: "m",
      value: 1,
      timestamp: 1,
      step: 0,
    });
    expect(log.status).toBe(200);
    expect((await t.call(bob, "POST", "/runs/delete", { run_id: run })).status).toBe(403);
    expect((await t.call(bob, "POST", "/experiments/delete", { experiment_id: exp })).status).toBe(403);
  });

  it("hides a DENY'd experiment from reads and searches", async () => {
    expect((await grant("carol", "experiment", exp, "DENY", alice)).status).toBe(200);
    expect((await t.call(carol, "GET", "/experiments/get", { experiment_id: exp })).status).toBe(403);
    expect((await t.call(carol, "GET", "/runs/get", { run_id: run })).status).toBe(403);
    const found = await t.call(carol, "POST", "/experiments/search", { max_results: 100 });
    expect(found.body.experiments.map((e: { name: string }) => e.name)).not.toContain("alice-exp");
    const runs = await t.call(carol, "POST", "/runs/search", { experiment_ids: [exp] });
    expect(runs).toMatchObject({ status: 200, body: {} });
    const bobRuns = await t.call(bob, "POST", "/runs/search", { experiment_ids: [exp] });
    expect(bobRuns.body.runs).toHaveLength(1);
  });

  it("pages through a filtered search without losing or repeating rows", async () => {
    const ids: string[] = [];
    for (let i = 0; i < 6; i++)
      ids.push((await t.call(alice, "POST", "/experiments/create", { name: `page-${i}` })).body.experiment_id);
    for (const id of [ids[1], ids[2], ids[4]]) await grant("carol", "experiment", id as string, "DENY", alice);
    const seen: string[] = [];
    let token: string | undefined;
    do {
      const r = await t.call(carol, "POST", "/experiments/search", {
        max_results: 2,
        filter: "name LIKE 'page-%'",
        ...(token ? { page_token: token } : {}),
      });
      expect(r.status).toBe(200);
      const page = (r.body.experiments ?? []).map((e: { name: string }) => e.name);
      if (r.body.next_page_token) expect(page).toHaveLength(2);
      seen.push(...page);
      token = r.body.next_page_token;
    } while (token);
    expect(seen.sort()).toEqual(["page-0", "page-3", "page-5"]);
  });

  it("lets admins bypass every check", async () => {
    expect(
      (await t.call(ADMIN, "POST", "/experiments/update", { experiment_id: exp, new_name: "renamed" })).status,
    ).toBe(200);
  });
});

describe("registry", () => {
  it("gives the creator MANAGE and drops every grant with the deleted model", async () => {
    expect((await t.call(alice, "POST", "/registered-models/create", { name: "m1" })).status).toBe(200);
    expect((await t.call(bob, "PATCH", "/registered-models/update", { name: "m1", description: "d" })).status).toBe(
      403,
    );
    await grant("bob", "registered_model", "m1", "EDIT", alice);
    expect((await t.call(bob, "PATCH", "/registered-models/update", { name: "m1", description: "d" })).status).toBe(
      200,
    );
    expect((await t.call(bob, "DELETE", "/registered-models/delete", { name: "m1" })).status).toBe(403);
    expect((await t.call(alice, "DELETE", "/registered-models/delete", { name: "m1" })).status).toBe(200);
    const perms = await t.call(ADMIN, "GET", "/users/permissions/list", { username: "bob" }, { version: "3.0" });
    expect(perms.body.permissions.filter((p: { resource_pattern: string }) => p.resource_pattern === "m1")).toEqual([]);
  });

  it("filters registered-model searches by DENY", async () => {
    await t.call(alice, "POST", "/registered-models/create", { name: "visible" });
    await t.call(alice, "POST", "/registered-models/create", { name: "hidden" });
    await grant("carol", "registered_model", "hidden", "DENY", alice);
    const r = await t.call(carol, "GET", "/registered-models/search", { max_results: 1 });
    const names: string[] = r.body.registered_models.map((m: { name: string }) => m.name);
    expect(names).toEqual(["visible"]);
    expect((await t.call(carol, "GET", "/registered-models/get", { name: "hidden" })).status).toBe(403);
  });

  it("keeps webhooks for admins", async () => {
    expect((await t.call(alice, "GET", "/webhooks")).status).toBe(403);
    expect((await t.call(ADMIN, "GET", "/webhooks")).status).toBe(200);
  });
});

describe("artifacts", () => {
  it("checks proxied artifact paths against the run's experiment", async () => {
    const path = `/api/2.0/mlflow-artifacts/artifacts/${exp}/${run}/artifacts/a.txt`;
    const put = (who: Who) =>
      t.app.request(path, {
        method: "PUT",
        body: "hi",
        headers: { Authorization: `Basic ${Buffer.from(`${who.username}:${who.password}`).toString("base64")}` },
      });
    expect((await put(carol)).status).toBe(403);
    expect((await put(alice)).status).toBe(200);
    const get = await t.app.request(path, {
      headers: { Authorization: `Basic ${Buffer.from(`${carol.username}:${carol.password}`).toString("base64")}` },
    });
    expect(get.status).toBe(403);
  });
});

describe("UI uploads", () => {
  it("passes a binary upload through the check unchanged", async () => {
    const bytes = new Uint8Array([0, 255, 128, 1, 254, 10, 13, 0xc3, 0x28]);
    const auth = { Authorization: `Basic ${Buffer.from(`${alice.username}:${alice.password}`).toString("base64")}` };
    const up = await t.app.request(`/ajax-api/2.0/mlflow/upload-artifact?run_uuid=${run}&path=bin.dat`, {
      method: "POST",
      body: bytes,
      headers: auth,
    });
    expect(up.status).toBe(200);
    const down = await t.app.request(`/get-artifact?run_uuid=${run}&path=bin.dat`, { headers: auth });
    expect(new Uint8Array(await down.arrayBuffer())).toEqual(bytes);
    const denied = await t.app.request(`/ajax-api/2.0/mlflow/upload-artifact?run_uuid=${run}&path=x.dat`, {
      method: "POST",
      body: bytes,
      headers: { Authorization: `Basic ${Buffer.from(`${carol.username}:${carol.password}`).toString("base64")}` },
    });
    expect(denied.status).toBe(403);
  });
});

describe("redaction", () => {
  it("withholds a model version's run when the run tier is denied, and the versions when their tier is", async () => {
    await t.call(alice, "POST", "/registered-models/create", { name: "redacted" });
    const mv = await t.call(alice, "POST", "/model-versions/create", {
      name: "redacted",
      source: "s3://b/m",
      run_id: run,
    });
    expect(mv.body.model_version.run_id).toBe(run);
    expect(
      (await t.call(bob, "GET", "/model-versions/get", { name: "redacted", version: "1" })).body.model_version.run_id,
    ).toBe(run);
    await grant("bob", "run", "*", "DENY");
    const seen = await t.call(bob, "GET", "/model-versions/get", { name: "redacted", version: "1" });
    expect(seen.status).toBe(200);
    expect(seen.body.model_version.run_id).toBeUndefined();
    expect(seen.body.model_version.source).toBe("s3://b/m");
    expect(
      (await t.call(alice, "GET", "/model-versions/get", { name: "redacted", version: "1" })).body.model_version.run_id,
    ).toBe(run);
    await grant("bob", "registered_model_version", "*", "DENY");
    const model = await t.call(bob, "GET", "/registered-models/get", { name: "redacted" });
    expect(model.status).toBe(200);
    expect(model.body.registered_model.latest_versions).toBeUndefined();
  });
});

describe("searches that select by run", () => {
  it("need the run tier not denied (bob's is, since the redaction test)", async () => {
    const byRun = await t.call(bob, "GET", "/model-versions/search", { filter: `run_id = '${run}'` });
    expect(byRun.status).toBe(403);
    expect((await t.call(bob, "GET", "/model-versions/search", { filter: "name = 'redacted'" })).status).toBe(200);
    expect((await t.call(alice, "GET", "/model-versions/search", { filter: `run_id = '${run}'` })).status).toBe(200);
    const models = await t.call(bob, "POST", "/logged-models/search", {
      experiment_ids: [exp],
      filter: `source_run_id = '${run}'`,
    });
    expect(models.status).toBe(403);
  });
});

describe("per-user grants on a prompt", () => {
  it("are refused by name to non-admins (the convenience APIs resolve no prompt), and allowed to admins", async () => {
    const tags = [{ key: "mlflow.prompt.is_prompt", value: "true" }];
    expect((await t.call(ADMIN, "POST", "/registered-models/create", { name: "p-grant", tags })).status).toBe(200);
    expect((await grant("carol", "prompt", "p-grant", "MANAGE")).status).toBe(200);
    const byCarol = await grant("bob", "prompt", "p-grant", "READ", carol);
    expect(byCarol.status).toBe(400);
    expect(byCarol.body.message).toBe(
      "resource_type 'prompt' is not supported by the per-user permission convenience APIs.",
    );
    const get = await t.call(
      ADMIN,
      "GET",
      "/users/permissions/get",
      { username: "carol", resource_type: "prompt", resource_id: "p-grant" },
      { version: "3.0" },
    );
    expect(get.body.error_code).toBe("INVALID_PARAMETER_VALUE");
  });
});

describe("requests the reference denies before reading them", () => {
  it("refuses a logged model without an experiment, and a workspace while workspaces are off", async () => {
    expect((await t.call(alice, "POST", "/logged-models", {})).status).toBe(403);
    expect((await t.call(ADMIN, "POST", "/logged-models", {})).status).toBe(400);
    expect((await t.call(alice, "GET", "/workspaces/default", undefined, { version: "3.0" })).status).toBe(403);
  });

  it("lets a `*` experiment grant reach a logged model without an experiment, which then answers its 400", async () => {
    expect((await grant("carol", "experiment", "*", "EDIT")).status).toBe(200);
    expect((await t.call(carol, "POST", "/logged-models", {})).status).toBe(400);
  });
});
