import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createClient } from "@libsql/client";
import { drizzle } from "drizzle-orm/libsql";
import { migrate } from "drizzle-orm/libsql/migrator";
import { afterAll, describe, expect, it } from "vitest";
import { CLI, expectOneLineError, runNode } from "./cli-run.test-helpers.js";

/**
 * `tracklite db upgrade URL`, the built CLI as a user runs it (a libSQL server's case is in apps/worker's test, where
 * the Worker then serves the upgraded sqld database).
 */
const dir = mkdtempSync(join(tmpdir(), "tracklite-db-upgrade-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const JOURNAL = JSON.parse(
  readFileSync(new URL("../../../packages/server/drizzle/meta/_journal.json", import.meta.url), "utf8"),
) as { entries: { when: number }[] };
const ALL = JOURNAL.entries.length;

describe("tracklite db upgrade", () => {
  it("migrates a new file (MLflow's sqlite:/// spelling too) once, then finds it up to date", async () => {
    const file = join(dir, "sub", "new.db");
    const first = await runNode(CLI, ["db", "upgrade", `sqlite:///${file}`]);
    expect(first.stderr).toBe("");
    expect(first.stdout).toBe(`file:${file}: applied ${ALL} migrations (${ALL} in all).\n`);
    expect(first.status).toBe(0);
    const again = await runNode(CLI, ["db", "upgrade", `file:${file}`]);
    expect(again.stdout).toBe(`file:${file}: already up to date (${ALL} in all).\n`);
    expect(again.status).toBe(0);
    const client = createClient({ url: `file:${file}` });
    const applied = await client.execute("SELECT MAX(created_at) AS at FROM __drizzle_migrations");
    client.close();
    expect(Number(applied.rows[0]?.at)).toBe(JOURNAL.entries.at(-1)?.when);
  }, 30_000);

  it("applies only what is missing", async () => {
    // A database of the release before: every migration but the newest, applied by drizzle from a copy of the folder.
    const older = join(dir, "older-migrations");
    cpSync(new URL("../../../packages/server/drizzle/", import.meta.url), older, { recursive: true });
    const journalFile = join(older, "meta", "_journal.json");
    const journal = JSON.parse(readFileSync(journalFile, "utf8")) as { entries: unknown[] };
    writeFileSync(journalFile, JSON.stringify({ ...journal, entries: journal.entries.slice(0, -1) }));
    const file = join(dir, "behind.db");
    const client = createClient({ url: `file:${file}` });
    await migrate(drizzle(client), { migrationsFolder: older });
    client.close();
    const ran = await runNode(CLI, ["db", "upgrade", file]);
    expect(ran.stderr).toBe("");
    expect(ran.stdout).toBe(`file:${file}: applied 1 migration (${ALL} in all).\n`);
  }, 30_000);

  it("refuses a database of mlflow server's", async () => {
    const file = join(dir, "mlflow.db");
    const client = createClient({ url: `file:${file}` });
    await client.execute("CREATE TABLE alembic_version (version_num VARCHAR(32) NOT NULL)");
    client.close();
    expectOneLineError(await runNode(CLI, ["db", "upgrade", `sqlite:///${file}`]), /written by `mlflow server`/);
  });

  it("gives click's one-line errors for bad arguments", async () => {
    expectOneLineError(await runNode(CLI, ["db", "upgrade"]), /^Error: Missing argument 'URL'\.$/);
    expectOneLineError(await runNode(CLI, ["db", "downgrade", "x"]), /^Error: No such command 'downgrade'\./);
    expectOneLineError(await runNode(CLI, ["db", "upgrade", "a.db", "b.db"]), /unexpected extra argument \(b\.db\)/);
    expectOneLineError(
      await runNode(CLI, ["db", "upgrade", "postgresql://u:secret@h/db"]),
      /does not serve postgresql databases/,
    );
    const unreachable = await runNode(CLI, ["db", "upgrade", "http://127.0.0.1:9"]);
    expectOneLineError(unreachable, /^Error: http:\/\/127\.0\.0\.1:9: cannot open the database: /);
  }, 30_000);

  it("prints its usage for `tracklite db`", async () => {
    const ran = await runNode(CLI, ["db"]);
    expect(ran.status).toBe(0);
    expect(ran.stdout).toMatch(/^Usage: tracklite db upgrade URL/);
  });
});
