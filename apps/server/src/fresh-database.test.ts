import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createClient } from "@libsql/client";
import { openDatabase } from "@tracklite/server";
import { afterAll, describe, expect, it } from "vitest";
import { seedFreshDatabase } from "./fresh-database.js";
import { postJson, startServer, terminate } from "./shutdown.test-helpers.js";

/**
 * The migrated template a new file store starts from (build.mjs makes it beside the built CLI) and the seeding: the
 * copy must be what running the migrations gives, and seeding must never touch a database that is already there.
 */
const dir = mkdtempSync(join(tmpdir(), "tracklite-fresh-db-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const MIGRATIONS = new URL("../../../packages/server/drizzle/", import.meta.url).pathname;
/** The template of the built CLI (from source, fresh-database.ts looks beside itself, where there is none). */
const TEMPLATE = new URL("../dist/fresh.db", import.meta.url).pathname;

/** Every schema object's SQL and drizzle's migration records: what "the same migrated database" means here. */
async function describeDatabase(file: string): Promise<unknown> {
  const client = createClient({ url: `file:${file}` });
  try {
    const objects = await client.execute(
      "SELECT type, name, tbl_name, sql FROM sqlite_master WHERE name NOT LIKE 'sqlite_%' ORDER BY type, name",
    );
    const migrations = await client.execute("SELECT hash, created_at FROM __drizzle_migrations ORDER BY id");
    const rows = await client.execute("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name");
    const counts: Record<string, number> = {};
    for (const { name } of rows.rows) {
      const table = String(name);
      if (table === "__drizzle_migrations" || table.startsWith("sqlite_")) continue;
      const n = await client.execute(`SELECT COUNT(*) AS n FROM "${table}"`);
      counts[table] = Number(n.rows[0]?.n);
    }
    return { objects: objects.rows.map((r) => ({ ...r })), migrations: migrations.rows.map((r) => ({ ...r })), counts };
  } finally {
    client.close();
  }
}

describe("the fresh-database template", () => {
  it("is the database the packaged migrations make: same objects, same migration records, no rows", async () => {
    expect(existsSync(TEMPLATE), "build the CLI first (npm run build)").toBe(true);
    const migrated = join(dir, "migrated.db");
    const handle = await openDatabase({ url: `file:${migrated}`, migrationsFolder: MIGRATIONS });
    handle.client.close();
    const seeded = join(dir, "seeded.db");
    expect(seedFreshDatabase(seeded, TEMPLATE)).toBe(true);
    const template = (await describeDatabase(seeded)) as { counts: Record<string, number> };
    expect(template).toEqual(await describeDatabase(migrated));
    // Only what the migrations write: the Default experiment is the server's to create, with its own artifact root.
    expect(template.counts.experiments).toBe(0);
  });
});

describe("seedFreshDatabase", () => {
  it("leaves an existing database, or one with a leftover WAL or journal beside it, as it is", () => {
    const existing = join(dir, "existing.db");
    writeFileSync(existing, "not replaced");
    expect(seedFreshDatabase(existing, TEMPLATE)).toBe(false);
    expect(readFileSync(existing, "utf8")).toBe("not replaced");
    for (const leftover of ["-wal", "-journal"]) {
      const path = join(dir, `leftover${leftover}.db`);
      writeFileSync(`${path}${leftover}`, "");
      expect(seedFreshDatabase(path, TEMPLATE)).toBe(false);
      expect(existsSync(path)).toBe(false);
    }
  });

  it("does nothing without a template, and leaves no temporary file behind", () => {
    expect(seedFreshDatabase(join(dir, "none.db"), join(dir, "missing-template.db"))).toBe(false);
    expect(existsSync(join(dir, "none.db"))).toBe(false);
    expect(readdirSync(dir).filter((f) => f.includes(".seed-"))).toEqual([]);
  });

  it("gives a server started on a new file a working store with its Default experiment", async () => {
    const db = join(dir, "served", "tracklite.db");
    const artifacts = join(dir, "served-artifacts");
    const run = await startServer(db, artifacts);
    try {
      const got = await postJson<{ experiments: { experiment_id: string; artifact_location: string }[] }>(
        run.url,
        "/api/2.0/mlflow/experiments/search",
        { max_results: 10 },
      );
      expect(got.experiments.map((e) => e.experiment_id)).toEqual(["0"]);
      const created = await postJson<{ experiment_id: string }>(run.url, "/api/2.0/mlflow/experiments/create", {
        name: "after-seed",
      });
      expect(created.experiment_id).toBeTruthy();
    } finally {
      expect(await terminate(run)).toBe(0);
    }
    const client = createClient({ url: `file:${db}` });
    const applied = await client.execute("SELECT COUNT(*) AS n FROM __drizzle_migrations");
    client.close();
    expect(Number(applied.rows[0]?.n)).toBeGreaterThan(0);
  }, 60_000);
});
