import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { ImportAuthUser, ImportWebhook } from "@tracklite/server/import";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { fernetDecrypt } from "./fernet.js";
import { VENVS } from "./reference.test-helpers.js";
import { openSqlSource } from "./sql-source.js";

const PYTHON = `${VENVS.mlflow3}bin/python`;
const SEED = new URL("./testdata/seed_auth_webhooks.py", import.meta.url).pathname;

let dir = "";
let key = "";
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "sql-source-auth-"));
  key = execFileSync(PYTHON, ["-c", "from cryptography.fernet import Fernet; print(Fernet.generate_key().decode())"])
    .toString()
    .trim();
  execFileSync(PYTHON, [SEED, join(dir, "mlflow.db"), join(dir, "basic_auth.db")], {
    // The reference checks webhook URLs resolve to public https hosts; these tests have only the loopback.
    env: {
      ...process.env,
      MLFLOW_WEBHOOK_SECRET_ENCRYPTION_KEY: key,
      MLFLOW_WEBHOOK_ALLOWED_SCHEMES: "http,https",
      MLFLOW_WEBHOOK_ALLOW_PRIVATE_IPS: "true",
    },
    stdio: "ignore",
  });
}, 120_000);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function webhooksWith(secretKey: string | undefined) {
  const source = await openSqlSource(`sqlite:///${join(dir, "mlflow.db")}`, { webhookSecretKey: secretKey });
  try {
    const hooks: ImportWebhook[] = [];
    for await (const hook of source.webhooks()) hooks.push(hook);
    return { hooks: hooks.sort((a, b) => a.webhook.name.localeCompare(b.webhook.name)), skipped: source.skipped() };
  } finally {
    await source.close();
  }
}

describe("webhooks of a database written by the reference's store", () => {
  it("come across with their secret when the source's key is given", async () => {
    const { hooks, skipped } = await webhooksWith(key);
    expect(hooks.map((h) => h.webhook.name)).toEqual(["plain", "signed"]); // the deleted one is left out
    const signed = hooks[1];
    expect(signed?.secret).toBe("s3cr3t");
    expect(signed?.webhook).toMatchObject({
      url: "http://127.0.0.1:9/hook",
      description: "has a secret",
      status: "ACTIVE",
      events: [{ entity: "MODEL_VERSION", action: "CREATED" }],
    });
    expect(hooks[0]?.secret).toBeUndefined();
    expect(skipped).toEqual([]);
  });

  it("report the secret as skipped without the key, or with a wrong one", async () => {
    const without = await webhooksWith("");
    expect(without.hooks).toHaveLength(2);
    expect(without.hooks[1]?.secret).toBeUndefined();
    expect(without.skipped).toEqual([
      expect.objectContaining({
        what: expect.stringMatching(/signed.*secret/),
        reason: expect.stringMatching(/MLFLOW_WEBHOOK_SECRET_ENCRYPTION_KEY/),
      }),
    ]);
    const wrong = await webhooksWith("A".repeat(43) + "=");
    expect(wrong.skipped[0]?.reason).toMatch(/does not decrypt/);
  });

  it("decrypts only a token signed with the key", () => {
    expect(fernetDecrypt(key, "not-a-token")).toBeUndefined();
  });
});

describe("users of a basic_auth.db written by the reference's auth store", () => {
  it("come with their werkzeug hash, admin flag and permissions", async () => {
    const source = await openSqlSource(`sqlite:///${join(dir, "mlflow.db")}`, {
      authDb: `sqlite:///${join(dir, "basic_auth.db")}`,
    });
    try {
      const users: ImportAuthUser[] = [];
      for await (const user of source.authUsers()) users.push(user);
      expect(users.map((u) => [u.username, u.is_admin])).toEqual([
        ["admin", true],
        ["alice", false],
      ]);
      const alice = users[1];
      expect(alice?.password_hash).toMatch(/^(scrypt|pbkdf2):/);
      expect(alice?.experiment_permissions).toEqual([{ experiment_id: "1", permission: "EDIT" }]);
      expect(alice?.registered_model_permissions).toEqual([{ name: "reg-model", permission: "READ" }]);
    } finally {
      await source.close();
    }
  });
});
