import { type ChildProcess, spawn } from "node:child_process";
import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createClient } from "@libsql/client";
import { AuthService, createApp, createStore, readAuthConfig, type Store } from "@tracklite/server";
import { importAuthUser, openAuthDatabase } from "@tracklite/server/import";
import { createLocalArtifactStore } from "@tracklite/server/local-artifacts";
import type { Hono } from "hono";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readBasicAuthDb } from "../sources/sql/auth-users.js";

/** The `mlflow` of the 3.x compat venv: the reference server that writes the basic_auth.db. */
const MLFLOW_BIN =
  process.env.TRACKLITE_MLFLOW_BIN ?? new URL("../../../../../.venvs/mlflow-3/bin/mlflow", import.meta.url).pathname;

const ADMIN = { username: "admin", password: "admin-password-12" };
const ALICE = { username: "alice", password: "alice-password-12" };
const BOB = { username: "bob", password: "bob-password-1234" };
const basic = (u: { username: string; password: string }) =>
  `Basic ${Buffer.from(`${u.username}:${u.password}`).toString("base64")}`;

const freePort = () =>
  new Promise<number>((resolve) => {
    const s = createServer().listen(0, "127.0.0.1", () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });

type Call = (
  who: { username: string; password: string } | undefined,
  method: string,
  path: string,
  body?: Record<string, string>,
) => Promise<{ status: number; body: any }>;

/** REST calls to a server reached through `fetch` (the reference) or `app.request` (tracklite). */
function caller(send: (url: string, init: RequestInit) => Promise<Response>): Call {
  return async (who, method, path, body) => {
    const headers: Record<string, string> = who ? { Authorization: basic(who) } : {};
    let url = path;
    let init: RequestInit = { method, headers };
    if (method === "GET" && body) url += `?${new URLSearchParams(body)}`;
    else if (body)
      init = { method, headers: { ...headers, "Content-Type": "application/json" }, body: JSON.stringify(body) };
    const res = await send(url, init);
    const text = await res.text();
    let parsed: unknown = text;
    try {
      parsed = JSON.parse(text);
    } catch {}
    return { status: res.status, body: parsed };
  };
}

/** The reads whose answers must match on both servers after the import. */
async function snapshot(call: Call, ids: { experiment: string; model: string }) {
  const perm = (who: typeof ALICE, type: string, id: string) =>
    call(ADMIN, "GET", "/api/3.0/mlflow/users/permissions/get", {
      username: who.username,
      resource_type: type,
      resource_id: id,
    });
  const list = async (who: typeof ALICE) => {
    const r = await call(ADMIN, "GET", "/api/3.0/mlflow/users/permissions/list", { username: who.username });
    // Role ids are numbered by each database; what a role is, is its name and workspace.
    return { ...r, body: { ...r.body, permissions: r.body.permissions?.map(({ role_id: _, ...p }: any) => p) } };
  };
  return {
    aliceUser: await call(ADMIN, "GET", "/api/2.0/mlflow/users/get", { username: "alice" }),
    bobUser: await call(ADMIN, "GET", "/api/2.0/mlflow/users/get", { username: "bob" }),
    aliceExperiment: await perm(ALICE, "experiment", ids.experiment),
    aliceModel: await perm(ALICE, "registered_model", ids.model),
    bobExperiment: await perm(BOB, "experiment", ids.experiment),
    aliceList: await list(ALICE),
    bobList: await list(BOB),
    aliceSignsIn: (await call(ALICE, "GET", "/api/2.0/mlflow/experiments/get", { experiment_id: ids.experiment }))
      .status,
    wrongPassword: (
      await call({ ...ALICE, password: "not-her-password" }, "GET", "/api/2.0/mlflow/experiments/get", {
        experiment_id: ids.experiment,
      })
    ).status,
    bobCannotRename: (
      await call(BOB, "POST", "/api/2.0/mlflow/experiments/update", {
        experiment_id: ids.experiment,
        new_name: "renamed-by-bob",
      })
    ).status,
    aliceRenames: (
      await call(ALICE, "POST", "/api/2.0/mlflow/experiments/update", {
        experiment_id: ids.experiment,
        new_name: "renamed-by-alice",
      })
    ).status,
  };
}

describe.skipIf(!existsSync(MLFLOW_BIN))("users of a basic_auth.db written by the reference server", () => {
  const dir = mkdtempSync(join(tmpdir(), "tracklite-import-auth-"));
  const authDb = join(dir, "basic_auth.db");
  let reference: ChildProcess | undefined;
  let referenceCall: Call;
  let before: Awaited<ReturnType<typeof snapshot>>;
  const ids = { experiment: "", model: "model-a" };

  beforeAll(async () => {
    const ini = join(dir, "auth.ini");
    writeFileSync(
      ini,
      `[mlflow]\ndefault_permission = READ\ndatabase_uri = sqlite:///${authDb}\nadmin_username = admin\nadmin_password = ${ADMIN.password}\n`,
    );
    const port = await freePort();
    reference = spawn(
      MLFLOW_BIN,
      ["server", "--app-name", "basic-auth", "--host", "127.0.0.1", "--port", String(port), "--workers", "1"]
        .concat(["--backend-store-uri", `sqlite:///${join(dir, "mlflow.db")}`])
        .concat(["--artifacts-destination", join(dir, "mlartifacts")]),
      {
        cwd: dir,
        env: { ...process.env, MLFLOW_AUTH_CONFIG_PATH: ini, MLFLOW_FLASK_SERVER_SECRET_KEY: "import-auth-test" },
        stdio: "ignore",
        // Its own process group: `mlflow server` runs uvicorn as a child, which must go down with it.
        detached: true,
      },
    );
    const base = `http://127.0.0.1:${port}`;
    referenceCall = caller((url, init) => fetch(base + url, init));
    const deadline = Date.now() + 300_000; // a loaded 2-core machine starts it in 10 to 100 s
    for (;;) {
      const up = await fetch(`${base}/health`).then(
        (r) => r.ok,
        () => false,
      );
      if (up) break;
      if (Date.now() > deadline || reference.exitCode !== null) throw new Error("the reference server did not start");
      await new Promise((r) => setTimeout(r, 250));
    }
    const ok = async (p: Promise<{ status: number; body: any }>) => {
      const r = await p;
      expect(r.status, JSON.stringify(r.body)).toBe(200);
      return r.body;
    };
    const c = referenceCall;
    await ok(c(ADMIN, "POST", "/api/2.0/mlflow/users/create", ALICE));
    await ok(c(ADMIN, "POST", "/api/2.0/mlflow/users/create", BOB));
    ids.experiment = (
      await ok(c(ADMIN, "POST", "/api/2.0/mlflow/experiments/create", { name: "exp-a" }))
    ).experiment_id;
    await ok(c(ADMIN, "POST", "/api/2.0/mlflow/registered-models/create", { name: ids.model }));
    const grant = (who: typeof ALICE, type: string, id: string, permission: string) =>
      ok(
        c(ADMIN, "POST", "/api/3.0/mlflow/users/permissions/grant", {
          username: who.username,
          resource_type: type,
          resource_id: id,
          permission,
        }),
      );
    await grant(ALICE, "experiment", ids.experiment, "EDIT");
    await grant(ALICE, "registered_model", ids.model, "MANAGE");
    const role = await ok(
      c(ADMIN, "POST", "/api/3.0/mlflow/roles/create", {
        name: "readers",
        workspace: "default",
        description: "all",
      }),
    );
    await ok(
      c(ADMIN, "POST", "/api/3.0/mlflow/roles/permissions/add", {
        role_id: String(role.role.id),
        resource_type: "registered_model",
        resource_pattern: "*",
        permission: "READ",
      }),
    );
    await ok(c(ADMIN, "POST", "/api/3.0/mlflow/roles/assign", { username: "bob", role_id: String(role.role.id) }));
    before = await snapshot(referenceCall, ids);
  }, 480_000);

  afterAll(() => {
    if (reference?.pid && reference.exitCode === null) process.kill(-reference.pid, "SIGKILL");
    rmSync(dir, { recursive: true, force: true });
  });

  it("come across with their passwords and permissions, twice changing nothing", async () => {
    const users = [];
    for await (const user of readBasicAuthDb(`sqlite:///${authDb}`)) users.push(user);
    expect(users.map((u) => [u.username, u.is_admin])).toEqual([
      ["admin", true],
      ["alice", false],
      ["bob", false],
    ]);
    expect(users[1]?.password_hash).toMatch(/^(scrypt|pbkdf2):/);

    const target = mkdtempSync(join(dir, "tracklite-"));
    const url = `file:${join(target, "basic_auth.db")}`;
    const db = await openAuthDatabase({ url });
    for (let round = 0; round < 2; round++)
      for (const user of users) expect((await importAuthUser(db, user)).skipped, user.username).toEqual([]);
    // As many users, roles, grants and assignments as the reference's database holds (its creator grants included).
    const COUNTS =
      "SELECT (SELECT count(*) FROM users) u, (SELECT count(*) FROM roles) r, (SELECT count(*) FROM role_permissions) p, (SELECT count(*) FROM user_role_assignments) a";
    const source = createClient({ url: `file:${authDb}` });
    const expected = (await source.execute(COUNTS)).rows[0];
    source.close();
    expect(expected).toMatchObject({ u: 3, r: 3, p: 5, a: 3 });
    expect({ ...(await db.execute(COUNTS)).rows[0] }).toEqual({ ...expected });
    db.close();

    // tracklite on the imported auth database, its tracking store holding the same experiment and model.
    const store: Store = await createStore({
      url: `file:${join(target, "tracklite.db")}`,
      defaultArtifactRoot: "mlflow-artifacts:/",
    });
    const auth = await AuthService.open({
      config: readAuthConfig({
        env: { MLFLOW_AUTH_CONFIG_PATH: "auth.ini" },
        iniText: `[mlflow]\ndefault_permission = READ\ndatabase_uri = ${url}\nadmin_username = admin\n`,
        defaultDatabaseUri: url,
      }),
    });
    try {
      const app: Hono = createApp({
        store,
        artifacts: createLocalArtifactStore(join(target, "artifacts")),
        config: { mlflowVersion: "0.0.0-test" },
        auth,
      });
      const trackliteCall = caller(async (path, init) => app.request(`http://localhost${path}`, init));
      const created = await trackliteCall(ADMIN, "POST", "/api/2.0/mlflow/experiments/create", { name: "exp-a" });
      expect(created.body.experiment_id).toBe(ids.experiment);
      expect(
        (await trackliteCall(ADMIN, "POST", "/api/2.0/mlflow/registered-models/create", { name: ids.model })).status,
      ).toBe(200);
      const after = await snapshot(trackliteCall, ids);
      expect(after).toEqual(before);
      expect(after).toMatchObject({ aliceSignsIn: 200, wrongPassword: 401, bobCannotRename: 403, aliceRenames: 200 });
    } finally {
      auth.close();
      store.close();
    }
  }, 300_000);
});
