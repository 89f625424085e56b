import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createClient } from "@libsql/client";
import type { Hono } from "hono";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createApp } from "../app.js";
import { createLocalArtifactStore } from "../artifacts/local.js";
import { MlflowError } from "../errors.js";
import { mapDatabaseError } from "./db-errors.js";
import { createStore, type Store } from "./index.js";

const FULL_MESSAGE = "(sqlite3.OperationalError) database or disk is full";

describe("mapDatabaseError", () => {
  it("turns SQLite's 'database or disk is full' into the reference's 503", async () => {
    const dir = mkdtempSync(join(tmpdir(), "tracklite-full-"));
    const client = createClient({ url: `file:${join(dir, "db")}` });
    try {
      await client.execute("CREATE TABLE t (v BLOB)");
      // A database that may not grow: SQLite's own way to be full without filling a disk.
      const pages = Number((await client.execute("PRAGMA page_count")).rows[0]?.[0]);
      await client.execute(`PRAGMA max_page_count = ${pages}`);
      const err = await client.execute("INSERT INTO t VALUES (zeroblob(1000000))").catch((e: unknown) => e);
      expect((err as { code?: string }).code).toBe("SQLITE_FULL");
      const mapped = mapDatabaseError(err);
      expect(mapped).toBeInstanceOf(MlflowError);
      expect((mapped as MlflowError).status).toBe(503);
      expect((mapped as MlflowError).toJSON()).toMatchObject({
        error_code: "TEMPORARILY_UNAVAILABLE",
        message: FULL_MESSAGE,
      });
    } finally {
      client.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("leaves other errors alone", () => {
    const err = Object.assign(new Error("UNIQUE constraint failed"), { code: "SQLITE_CONSTRAINT_UNIQUE" });
    expect(mapDatabaseError(err)).toBe(err);
    const mlflow = new MlflowError("x", "INVALID_PARAMETER_VALUE");
    expect(mapDatabaseError(mlflow)).toBe(mlflow);
  });
});

/** A real full disk: a 2 MB tmpfs, which only root may mount (skipped elsewhere). */
function mountTinyDisk(dir: string): boolean {
  if (process.getuid?.() !== 0) return false;
  try {
    execFileSync("mount", ["-t", "tmpfs", "-o", "size=2m", "tmpfs", dir], { stdio: "ignore" });
    return true;
  } catch {
    return false;
  }
}

describe("a database on a full disk", () => {
  const dir = mkdtempSync(join(tmpdir(), "tracklite-tinydisk-"));
  const disk = join(dir, "disk");
  mkdirSync(disk);
  const mounted = mountTinyDisk(disk);
  let store: Store;
  let app: Hono;
  beforeAll(async () => {
    if (!mounted) return;
    store = await createStore({ url: `file:${join(disk, "db")}`, defaultArtifactRoot: "mlflow-artifacts:/" });
    app = createApp({
      store,
      artifacts: createLocalArtifactStore(join(dir, "artifacts")),
      config: { mlflowVersion: "0.0.0-test" },
    });
  });
  afterAll(() => {
    store?.close();
    if (mounted) execFileSync("umount", ["-l", disk]);
    rmSync(dir, { recursive: true, force: true });
  });

  it.skipIf(!mounted)(
    "answers writes with 503 TEMPORARILY_UNAVAILABLE and the database's message",
    async () => {
      const post = async (path: string, body: object) => {
        const res = await app.request(`http://localhost/api/2.0/mlflow${path}`, {
          method: "POST",
          headers: { "Content-Type": "application/json" },
          body: JSON.stringify(body),
        });
        return { status: res.status, body: await res.json() };
      };
      const run = (await post("/runs/create", { experiment_id: "0" })).body.run.info.run_id;
      const value = "v".repeat(7000);
      let last = { status: 200, body: {} as Record<string, unknown> };
      for (let i = 0; i < 2000 && last.status === 200; i++) {
        const tags = Array.from({ length: 100 }, (_, j) => ({ key: `t${i}_${j}`, value }));
        last = await post("/runs/log-batch", { run_id: run, tags });
      }
      expect(last.status).toBe(503);
      expect(last.body).toMatchObject({ error_code: "TEMPORARILY_UNAVAILABLE", message: FULL_MESSAGE });
      // Reads still work.
      expect((await app.request(`http://localhost/api/2.0/mlflow/runs/get?run_id=${run}`)).status).toBe(200);
    },
    60_000,
  );
});
