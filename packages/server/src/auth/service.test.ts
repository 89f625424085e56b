import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { readAuthConfig } from "./config.js";
import { AuthService } from "./service.js";

const dir = mkdtempSync(join(tmpdir(), "tracklite-auth-service-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const open = (env: Record<string, string>, db: string) =>
  AuthService.open({
    config: readAuthConfig({ env, defaultDatabaseUri: `file:${join(dir, db)}` }),
  });

describe("admin bootstrap", () => {
  it("refuses to start without an admin password, with the reference's message", async () => {
    await expect(open({}, "a.db")).rejects.toThrow(
      "MLflow Authentication needs a password to create the admin user 'admin', but none is configured (or it is " +
        "empty). MLflow ships no default admin password.",
    );
  });

  it("refuses the old shipped default and short passwords", async () => {
    await expect(open({ MLFLOW_AUTH_ADMIN_PASSWORD: "password1234" }, "b.db")).rejects.toThrow("insecure default");
    await expect(open({ MLFLOW_AUTH_ADMIN_PASSWORD: "short" }, "c.db")).rejects.toThrow(
      "The configured password for the admin user 'admin' is invalid: Password must be at least 12 characters.",
    );
  });

  it("creates the admin once; later starts need no password", async () => {
    const first = await open(
      { MLFLOW_AUTH_ADMIN_PASSWORD: "first-admin-pass", MLFLOW_AUTH_ADMIN_USERNAME: "root" },
      "d.db",
    );
    expect((await first.users.get("root")).is_admin).toBe(true);
    expect(await first.users.authenticate("root", "first-admin-pass")).toMatchObject({ username: "root" });
    first.close();
    const again = await open({ MLFLOW_AUTH_ADMIN_USERNAME: "root" }, "d.db");
    expect((await again.users.list()).map((u) => u.username)).toEqual(["root"]);
    again.close();
  });
});
