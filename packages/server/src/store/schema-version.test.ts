import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createClient } from "@libsql/client";
import { drizzle } from "drizzle-orm/libsql";
import { migrate } from "drizzle-orm/libsql/migrator";
import { afterAll, describe, expect, it } from "vitest";
import { MlflowError } from "../errors.js";
import { createStore } from "./index.js";
import { convertMetricRows } from "./metric-conversion.js";
import { type MigrationJournal, verifySchemaCurrent } from "./schema-version.js";

/** The check a Worker makes instead of migrating, on real database files. */
const dir = mkdtempSync(join(tmpdir(), "tracklite-schema-version-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const MIGRATIONS = new URL("../../drizzle/", import.meta.url);
const JOURNAL = JSON.parse(readFileSync(new URL("meta/_journal.json", MIGRATIONS), "utf8")) as MigrationJournal;
const tags = JOURNAL.entries.map((e) => e.tag);

/**
 * A database file with the first `n` migrations applied (drizzle's migrator, from a trimmed copy of the folder); with
 * all of them, also the conversion of metric rows that follows 0010, unless `convert` is false.
 */
async function databaseAt(n: number, convert = true): Promise<string> {
  const url = `file:${join(dir, `at-${n}${convert ? "" : "-unconverted"}.db`)}`;
  if (n === 0) return url;
  const folder = join(dir, `migrations-${n}`);
  cpSync(MIGRATIONS, folder, { recursive: true });
  writeFileSync(
    join(folder, "meta/_journal.json"),
    JSON.stringify({ ...JOURNAL, entries: JOURNAL.entries.slice(0, n) }),
  );
  const client = createClient({ url });
  await migrate(drizzle(client), { migrationsFolder: folder });
  if (n === tags.length && convert) await convertMetricRows(client);
  client.close();
  return url;
}

async function refusal(url: string): Promise<MlflowError> {
  const client = createClient({ url });
  try {
    await verifySchemaCurrent(client, JOURNAL);
  } catch (e) {
    return e as MlflowError;
  } finally {
    client.close();
  }
  throw new Error("not refused");
}

describe("verifySchemaCurrent", () => {
  it("refuses an empty database with MLflow's 503 and wording", async () => {
    const err = await refusal(await databaseAt(0));
    expect(err).toBeInstanceOf(MlflowError);
    expect(err.status).toBe(503);
    expect(err.code).toBe("TEMPORARILY_UNAVAILABLE");
    expect(err.message).toBe(
      `Detected out-of-date database schema (found version none (an empty database), but expected ${tags.at(-1)}). Take a backup of your database, then run 'tracklite db upgrade <database_uri>' to migrate your database to the latest schema. NOTE: schema migration may result in database downtime - please consult your database's documentation for more detail.`,
    );
  });

  it("names the version a database one migration behind is at", async () => {
    const err = await refusal(await databaseAt(tags.length - 1));
    expect(err.message).toContain(`(found version ${tags.at(-2)}, but expected ${tags.at(-1)})`);
  });

  it("refuses a database whose metric rows are not converted to chunks yet", async () => {
    const err = await refusal(await databaseAt(tags.length, false));
    expect(err.message).toContain(
      `(found version ${tags.at(-1)}, its metric points not yet converted to chunks, but expected ${tags.at(-1)})`,
    );
  });

  it("accepts a current database, and the store opens on it without migrating", async () => {
    const url = await databaseAt(tags.length);
    const client = createClient({ url });
    await expect(verifySchemaCurrent(client, JOURNAL)).resolves.toBeUndefined();
    client.close();
    const store = await createStore({ url, defaultArtifactRoot: "mlflow-artifacts:/", verifySchema: JOURNAL });
    expect((await store.experiments.get("0")).name).toBe("Default");
    store.close();
  });

  it("makes the store refuse to open on an outdated database, leaving it as it was", async () => {
    const url = await databaseAt(tags.length - 1);
    await expect(
      createStore({ url, defaultArtifactRoot: "mlflow-artifacts:/", verifySchema: JOURNAL }),
    ).rejects.toThrow(/Detected out-of-date database schema/);
    const client = createClient({ url });
    const applied = await client.execute("SELECT COUNT(*) AS n FROM __drizzle_migrations");
    client.close();
    expect(Number(applied.rows[0]?.n)).toBe(tags.length - 1);
  });
});
