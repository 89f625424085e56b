import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createClient } from "@libsql/client";
import { AuthService, readAuthConfig } from "@tracklite/server";
import { importAuthUser, openAuthDatabase } from "@tracklite/server/import";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readBasicAuthDb } from "../sources/sql/auth-users.js";

const PYTHON =
  process.env.TRACKLITE_PYTHON ?? new URL("../../../../../.venvs/mlflow-3/bin/python", import.meta.url).pathname;

/**
 * Makes a pre-RBAC basic_auth.db with MLflow's own alembic migrations (up to the workspace-permissions revision, as
 * MLflow 3.10–3.16 left it) and werkzeug's hashes, then a copy upgraded by MLflow to its head: what MLflow itself
 * turns those legacy rows into.
 */
const SEED = `
import shutil, sys
from alembic.command import upgrade
from mlflow.server.auth.db.utils import _get_alembic_config
from sqlalchemy import create_engine, text
from werkzeug.security import generate_password_hash
legacy, migrated = sys.argv[1], sys.argv[2]
upgrade(_get_alembic_config(f"sqlite:///{legacy}"), "2ed73881770d")
with create_engine(f"sqlite:///{legacy}").begin() as c:
    c.execute(text("INSERT INTO users (id, username, password_hash, is_admin) VALUES (1, 'gina', :a, 0), (2, 'hank', :b, 1)"),
              {"a": generate_password_hash("gina-password-12"), "b": generate_password_hash("hank-password-12", method="pbkdf2:sha256")})
    c.execute(text("INSERT INTO experiment_permissions (experiment_id, user_id, permission) VALUES ('3', 1, 'EDIT'), ('4', 1, 'NO_PERMISSIONS'), ('5', 2, 'READ')"))
    c.execute(text("INSERT INTO registered_model_permissions (name, user_id, permission, workspace) VALUES ('mod', 1, 'MANAGE', 'default'), ('other', 2, 'READ', 'team')"))
    c.execute(text("INSERT INTO scorer_permissions (experiment_id, scorer_name, user_id, permission) VALUES ('3', 'my scorer', 1, 'READ')"))
    c.execute(text("INSERT INTO gateway_endpoint_permissions (endpoint_id, user_id, permission) VALUES ('e-1', 2, 'USE')"))
    c.execute(text("INSERT INTO workspace_permissions (workspace, user_id, permission) VALUES ('team', 1, 'EDIT'), ('ops', 2, 'READ')"))
shutil.copy(legacy, migrated)
upgrade(_get_alembic_config(f"sqlite:///{migrated}"), "head")
`;

/** Every user's grants in an auth database, as sortable lines "user workspace type pattern permission". */
async function grantLines(url: string): Promise<string[]> {
  const db = createClient({ url });
  const rs = await db.execute(`SELECT u.username, r.workspace, p.resource_type, p.resource_pattern, p.permission
    FROM role_permissions p JOIN roles r ON r.id = p.role_id JOIN user_role_assignments a ON a.role_id = r.id
    JOIN users u ON u.id = a.user_id`);
  db.close();
  return rs.rows.map((r) => Object.values(r).join(" ")).sort();
}

describe.skipIf(!existsSync(PYTHON))("a pre-RBAC basic_auth.db (legacy permission tables)", () => {
  const dir = mkdtempSync(join(tmpdir(), "tracklite-legacy-auth-"));
  const legacy = join(dir, "legacy.db");
  const migrated = join(dir, "migrated.db");
  beforeAll(() => {
    const ran = spawnSync(PYTHON, ["-c", SEED, legacy, migrated], { encoding: "utf8", timeout: 240_000 });
    expect(ran.status, ran.stderr).toBe(0);
  }, 300_000);
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("comes across with the grants MLflow's own upgrade makes of it, and both hash forms sign in", async () => {
    const users = [];
    for await (const user of readBasicAuthDb(`sqlite:///${legacy}`)) users.push(user);
    expect(users.map((u) => u.username)).toEqual(["gina", "hank"]);
    expect(users[0]?.experiment_permissions).toEqual([
      { experiment_id: "3", permission: "EDIT" },
      { experiment_id: "4", permission: "NO_PERMISSIONS" },
    ]);
    const url = `file:${join(dir, "tracklite-auth.db")}`;
    const db = await openAuthDatabase({ url });
    const skipped = [];
    for (const user of users) skipped.push(...(await importAuthUser(db, user)).skipped);
    expect(skipped.map((s) => s.what)).toEqual(["user gina: experiment 4 NO_PERMISSIONS"]);
    db.close();
    expect(await grantLines(url)).toEqual(await grantLines(`file:${migrated}`));
    expect(await grantLines(url)).toContain("gina default scorer 3/my%20scorer READ");

    const auth = await AuthService.open({
      config: readAuthConfig({
        env: { MLFLOW_AUTH_CONFIG_PATH: "auth.ini" },
        iniText: `[mlflow]\ndefault_permission = READ\ndatabase_uri = ${url}\nadmin_username = hank\n`,
        defaultDatabaseUri: url,
      }),
    });
    try {
      expect(await auth.users.authenticate("gina", "gina-password-12")).toMatchObject({ is_admin: false });
      expect(await auth.users.authenticate("hank", "hank-password-12")).toMatchObject({ is_admin: true });
      expect(await auth.users.authenticate("hank", "gina-password-12")).toBeUndefined();
    } finally {
      auth.close();
    }
  }, 120_000);
});
