import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createClient } from "@libsql/client";
import { afterAll, describe, expect, it } from "vitest";
import { readAuthConfig } from "./config.js";
import { AuthService } from "./service.js";

// The tables of a basic_auth.db written by MLflow 3.17.2 (`sqlite3 basic_auth.db .schema`, the RBAC part), with a
// user and a grant the reference created through its API.
const MLFLOW_SCHEMA = [
  "CREATE TABLE alembic_version_auth (version_num VARCHAR(32) NOT NULL, CONSTRAINT alembic_version_auth_pkc PRIMARY KEY (version_num))",
  "CREATE TABLE users (id INTEGER NOT NULL, username VARCHAR(255), password_hash VARCHAR(255), is_admin BOOLEAN, PRIMARY KEY (id), UNIQUE (username))",
  "CREATE TABLE roles (id INTEGER NOT NULL, name VARCHAR(255) NOT NULL, workspace VARCHAR(63) NOT NULL, description VARCHAR(1024), PRIMARY KEY (id), CONSTRAINT unique_workspace_role_name UNIQUE (workspace, name))",
  "CREATE INDEX idx_roles_workspace ON roles (workspace)",
  "CREATE TABLE role_permissions (id INTEGER NOT NULL, role_id INTEGER NOT NULL, resource_type VARCHAR(64) NOT NULL, resource_pattern VARCHAR(255) NOT NULL, permission VARCHAR(255) NOT NULL, PRIMARY KEY (id), CONSTRAINT unique_role_resource_perm UNIQUE (role_id, resource_type, resource_pattern), FOREIGN KEY(role_id) REFERENCES roles (id))",
  "CREATE INDEX idx_role_permissions_role_id ON role_permissions (role_id)",
  "CREATE TABLE user_role_assignments (id INTEGER NOT NULL, user_id INTEGER NOT NULL, role_id INTEGER NOT NULL, PRIMARY KEY (id), CONSTRAINT unique_user_role UNIQUE (user_id, role_id), FOREIGN KEY(user_id) REFERENCES users (id), FOREIGN KEY(role_id) REFERENCES roles (id))",
  "INSERT INTO alembic_version_auth VALUES ('f1a2b3c4d5e6')",
  // An older pbkdf2 hash (of "secretsecret"), and werkzeug's scrypt hash of "bobpassword123" as the reference stored it.
  "INSERT INTO users VALUES (1, 'admin', 'pbkdf2:sha256:1000$salt$99ec319e752f198c664c9e2d0bf5274b5e23c10594384fddbe0140675eafb9ec', 1)",
  "INSERT INTO users VALUES (2, 'bob', 'scrypt:32768:8:1$RMr8WdA0PdvxI6Mp$190ca0c6711ba34b4c5c6630aa625dcf9f8c6978d4b1ddf8f39853a06d3ec3ff27fab3c0a291f6afc0c3cbbb763e59e2e35ae20713d264bb5962a087f1bcb9b6', 0)",
  "INSERT INTO roles VALUES (1, '__user_2__', 'default', NULL)",
  "INSERT INTO role_permissions VALUES (1, 1, 'experiment', '0', 'DENY')",
  "INSERT INTO user_role_assignments VALUES (1, 2, 1)",
];

const dir = mkdtempSync(join(tmpdir(), "tracklite-mlflow-auth-db-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("an MLflow basic_auth.db", () => {
  it("opens as it is: its users sign in with their passwords and keep their grants", async () => {
    const url = `file:${join(dir, "basic_auth.db")}`;
    const raw = createClient({ url });
    for (const sql of MLFLOW_SCHEMA) await raw.execute(sql);
    raw.close();

    const auth = await AuthService.open({ config: readAuthConfig({ env: {}, defaultDatabaseUri: url }) });
    try {
      expect(await auth.users.authenticate("bob", "bobpassword123")).toEqual({
        id: 2,
        username: "bob",
        is_admin: false,
      });
      expect(await auth.users.authenticate("bob", "bobpassword124")).toBeUndefined();
      expect((await auth.users.authenticate("admin", "secretsecret"))?.is_admin).toBe(true);
      expect(await auth.roles.grants(2, "default")).toEqual([
        { resource_type: "experiment", resource_pattern: "0", permission: "DENY" },
      ]);
      // New users and tokens go into the same file.
      await auth.users.create("carol", "carol-password-1");
      const { token } = await auth.users.createToken(2, "t");
      expect((await auth.users.authenticateToken(token))?.username).toBe("bob");
    } finally {
      auth.close();
    }
  });
});
