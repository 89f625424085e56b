import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { expectSourceMatchesReference } from "./compare.test-helpers.js";
import { type Postgres, startPostgres } from "./postgres.test-helpers.js";
import { type ReferenceAnswers, readReference, seed, startMlflowServer, VENVS } from "./reference.test-helpers.js";
import { openSqlSource } from "./sql-source.js";

const HISTORY = 12_000;

/** The URI as an MLflow user writes it with the psycopg2 driver. */
const psycopg2 = (uri: string) => uri.replace(/^postgresql:/, "postgresql+psycopg2:");

describe("a PostgreSQL database written by MLflow 3.17.2", () => {
  let postgres: Postgres;
  let dir = "";
  let reference: ReferenceAnswers;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), "sql-source-"));
    postgres = await startPostgres();
    await postgres.createDatabase("mlflow");
    // SQLAlchemy 2.1 reads a bare postgresql:// as psycopg 3; the venv has psycopg2 (requirements-mlflow3.txt).
    const server = await startMlflowServer(VENVS.mlflow3, psycopg2(postgres.uri("mlflow")), dir);
    try {
      await seed(VENVS.mlflow3, server.url, HISTORY);
      reference = await readReference(server.url);
    } finally {
      await server.stop();
    }
  }, 420_000);

  afterAll(async () => {
    await postgres?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it("yields every experiment, run and metric point as the reference answers them", async () => {
    const source = await openSqlSource(psycopg2(postgres.uri("mlflow")));
    try {
      expect((await source.describe()).kind).toBe("postgresql");
      const points = await expectSourceMatchesReference(source, reference);
      expect(points).toBeGreaterThan(HISTORY);
      expect((await source.counts({})).metric_points).toBe(points);
    } finally {
      await source.close();
    }
  }, 60_000);

  it("stops early without leaking a pooled connection", async () => {
    const source = await openSqlSource(postgres.uri("mlflow"));
    try {
      // Abandon many half-read cursors: each must give its client back, or the pool (4) would hang here.
      for (let i = 0; i < 10; i++) {
        for await (const _experiment of source.experiments({})) break;
      }
      expect((await source.counts({})).experiments).toBe(reference.experiments.length);
    } finally {
      await source.close();
    }
  });

  it("says which database could not be reached, password masked", async () => {
    await expect(openSqlSource("postgresql://me:secret@127.0.0.1:1/none")).rejects.toThrow(
      /^postgresql:\/\/me:\*\*\*@127\.0\.0\.1:1\/none: .*ECONNREFUSED/,
    );
  });
});
