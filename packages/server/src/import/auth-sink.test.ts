import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Client } from "@libsql/client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openAuthDatabase } from "../auth/db.js";
import { hashPassword } from "../auth/password-hash.js";
import { UserStore } from "../auth/user-store.js";
import { grantsOf } from "./auth-grants.js";
import { importAuthUser } from "./auth-sink.js";
import type { ImportAuthUser } from "./model.js";

const legacy = (over: Partial<ImportAuthUser> = {}): ImportAuthUser => ({
  username: "carol",
  password_hash: "pbkdf2:sha256:1000$salt$00",
  is_admin: false,
  experiment_permissions: [],
  registered_model_permissions: [],
  ...over,
});

describe("grantsOf: MLflow's legacy permission tables as role grants, by its own migration's rules", () => {
  it("maps each table and drops NO_PERMISSIONS", () => {
    const { grants, roles, skipped } = grantsOf(
      legacy({
        experiment_permissions: [
          { experiment_id: "4", permission: "EDIT" },
          { experiment_id: "5", permission: "NO_PERMISSIONS" },
        ],
        registered_model_permissions: [
          { name: "m", permission: "READ" },
          { name: "p", permission: "MANAGE" },
          { name: "w", permission: "USE", workspace: "team" } as { name: string; permission: string },
        ],
        other_permissions: {
          scorer_permissions: [{ experiment_id: "4", scorer_name: "my scorer(1)", permission: "READ" }],
          gateway_endpoint_permissions: [{ endpoint_id: "e-1", permission: "USE" }],
          workspace_permissions: [
            { workspace: "team", permission: "READ" },
            { workspace: "ops", permission: "EDIT" },
            { workspace: "x", permission: "NO_PERMISSIONS" },
          ],
          roles: [
            {
              name: "readers",
              workspace: "default",
              description: "d",
              resource_type: "experiment",
              resource_pattern: "*",
              permission: "READ",
            },
          ],
          mystery_permissions: [{ permission: "READ" }],
        },
      }),
      { experimentId: (id) => (id === "4" ? "40" : undefined), isPrompt: (name) => name === "p" },
    );
    const rows = grants.map((g) => `${g.workspace} ${g.resource_type} ${g.resource_pattern} ${g.permission}`);
    expect(rows).toEqual([
      "default experiment 40 EDIT",
      "default registered_model m READ",
      "default prompt p MANAGE",
      "team registered_model w USE",
      "default scorer 40/my%20scorer%281%29 READ",
      "default gateway_endpoint e-1 USE",
      "team workspace * USE",
      "ops workspace * USE",
      "ops experiment * EDIT",
      "ops registered_model * EDIT",
      "ops scorer * EDIT",
      "ops gateway_secret * EDIT",
      "ops gateway_endpoint * EDIT",
      "ops gateway_model_definition * EDIT",
    ]);
    expect(roles).toEqual([
      {
        name: "readers",
        workspace: "default",
        description: "d",
        grants: [{ workspace: "default", resource_type: "experiment", resource_pattern: "*", permission: "READ" }],
      },
    ]);
    expect(skipped.map((s) => s.what)).toEqual([
      "user carol: experiment 5 NO_PERMISSIONS",
      "user carol: mystery_permissions",
    ]);
  });
});

describe("importAuthUser", () => {
  const dir = mkdtempSync(join(tmpdir(), "tracklite-auth-sink-"));
  let db: Client;
  beforeAll(async () => {
    db = await openAuthDatabase({ url: `file:${join(dir, "basic_auth.db")}` });
  });
  afterAll(() => {
    db.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it("keeps the werkzeug hash, so the same password signs in", async () => {
    const hash = await hashPassword("dave-password-12");
    expect(
      (await importAuthUser(db, legacy({ username: "dave", password_hash: hash, is_admin: true }))).skipped,
    ).toEqual([]);
    const users = new UserStore(db);
    expect(await users.authenticate("dave", "dave-password-12")).toMatchObject({ username: "dave", is_admin: true });
    expect(await users.authenticate("dave", "wrong-password-12")).toBeUndefined();
  });

  it("leaves a user tracklite already has as it is, adding the grants, and says so", async () => {
    const users = new UserStore(db);
    await users.create("erin", "erin-tracklite-pw1");
    const { skipped } = await importAuthUser(
      db,
      legacy({ username: "erin", experiment_permissions: [{ experiment_id: "1", permission: "READ" }] }),
    );
    expect(skipped).toEqual([
      {
        what: "user erin: password and admin flag",
        reason: "the user already exists in tracklite with other ones; tracklite's were kept",
      },
    ]);
    expect(await users.authenticate("erin", "erin-tracklite-pw1")).toBeDefined();
    const rs = await db.execute({
      sql: `SELECT p.resource_pattern, p.permission FROM role_permissions p JOIN roles r ON r.id = p.role_id
            WHERE r.name = ?`,
      args: [`__user_${(await users.get("erin")).id}__`],
    });
    expect(rs.rows.map((r) => [r.resource_pattern, r.permission])).toEqual([["1", "READ"]]);
  });

  it("reports a hash tracklite cannot verify", async () => {
    const { skipped } = await importAuthUser(db, legacy({ username: "frank", password_hash: "sha256$abc$def" }));
    expect(skipped.map((s) => s.what)).toEqual(["user frank: password"]);
  });
});
