import { copyFileSync, existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Database from "libsql";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { UsageError } from "../../../usage-error.js";
import { pickSourceKind } from "../index.js";
import { expectSourceMatchesReference } from "./compare.test-helpers.js";
import { type ReferenceAnswers, readReference, seed, startMlflowServer, VENVS } from "./reference.test-helpers.js";
import { MLFLOW_HEAD_REVISION } from "./revisions.js";
import { openSqlSource } from "./sql-source.js";

const HISTORY = 12_000;

/** A SQLite database written by `venv`'s real `mlflow server` through its real client, and the server's answers. */
function writtenBy(venv: string) {
  const state = { dir: "", db: "", reference: undefined as unknown as ReferenceAnswers };
  beforeAll(async () => {
    state.dir = mkdtempSync(join(tmpdir(), "sql-source-"));
    state.db = join(state.dir, "mlflow.db");
    const server = await startMlflowServer(venv, `sqlite:///${state.db}`, state.dir);
    try {
      await seed(venv, server.url, HISTORY);
      state.reference = await readReference(server.url);
    } finally {
      await server.stop();
    }
  }, 420_000);
  afterAll(() => rmSync(state.dir, { recursive: true, force: true }));
  return state;
}

describe.each([
  ["MLflow 3.17.2", VENVS.mlflow3],
  ["MLflow 2.x", VENVS.mlflow2],
])("a SQLite database written by %s", (_name, venv) => {
  const state = writtenBy(venv);

  it("yields every experiment, run and metric point as the reference answers them", async () => {
    const source = await openSqlSource(`sqlite:///${state.db}`);
    try {
      const points = await expectSourceMatchesReference(source, state.reference);
      expect(points).toBeGreaterThan(HISTORY);
      const counts = await source.counts({});
      expect(counts.experiments).toBe(state.reference.experiments.length);
      expect(counts.metric_points).toBe(points);
      expect(counts.runs).toBe([...state.reference.runs.values()].reduce((n, runs) => n + runs.length, 0));
    } finally {
      await source.close();
    }
  }, 60_000);

  it("is what `tracklite import` picks for a sqlite: SOURCE", async () => {
    const kind = pickSourceKind(`sqlite:///${state.db}`);
    expect(kind.kind).toBe("sql");
    const source = await kind.open(`sqlite:///${state.db}`, { env: {}, flags: {} });
    try {
      expect(await source.describe()).toMatchObject({ kind: "sqlite", version: expect.any(String) });
    } finally {
      await source.close();
    }
    await expect(kind.open(`sqlite:///${state.dir}/none.db`, { env: {}, flags: {} })).rejects.toThrow(UsageError);
  }, 60_000);

  it("picks experiments by name or id", async () => {
    const source = await openSqlSource(`sqlite:///${state.db}`);
    try {
      const names: string[] = [];
      for await (const experiment of source.experiments({ experiments: ["sql-source", "0"] }))
        names.push(experiment.name);
      expect(names.sort()).toEqual(["Default", "sql-source"]);
      expect((await source.counts({ experiments: ["Default"] })).runs).toBe(1);
    } finally {
      await source.close();
    }
  });

  it("refuses a revision newer than MLflow 3.17.2's head, in one line", async () => {
    const newer = join(state.dir, "newer.db");
    copyFileSync(state.db, newer);
    const db = new Database(newer);
    db.prepare("UPDATE alembic_version SET version_num = 'ffffffffffff'").run();
    db.close();
    await expect(openSqlSource(`sqlite:///${newer}`)).rejects.toThrow(
      new RegExp(`schema revision ffffffffffff is not one of MLflow 2.0–3.17.2's \\(head ${MLFLOW_HEAD_REVISION}\\)`),
    );
  });
});

describe("a file that is not an MLflow database", () => {
  it("is refused in one line", async () => {
    const dir = mkdtempSync(join(tmpdir(), "sql-source-"));
    try {
      const path = join(dir, "other.db");
      new Database(path).exec("CREATE TABLE t (x)");
      await expect(openSqlSource(`sqlite:///${path}`)).rejects.toThrow(/not an MLflow tracking database/);
      await expect(openSqlSource("sqlite://")).rejects.toThrow(/must be a file/);
      const missing = join(dir, "missing.db");
      await expect(openSqlSource(`sqlite:///${missing}`)).rejects.toThrow(
        `sqlite:///${missing}: no such file ${missing}`,
      );
      expect(existsSync(missing)).toBe(false);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
