import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type Client, createClient } from "@libsql/client";
import { afterAll, beforeAll } from "vitest";
import { compileExperimentSearch, type ExperimentSearchQuery } from "./experiment-search-sql.js";
import { compileRunSearch, type RunSearchQuery } from "./run-search-sql.js";
import { DATASETS, EXPERIMENTS, RUNS } from "./search-fixture.test-helpers.js";

/**
 * A temporary libSQL database with tracklite's schema (the committed migration) holding the search fixture, and
 * helpers that run compiled searches on it the way the store does.
 */

const MIGRATION = new URL("../../drizzle/0000_init.sql", import.meta.url);

/** A value for an SQL statement: libSQL cannot bind NaN or ±Infinity, so metric values go in as literals. */
const real = (v: number) => (Number.isNaN(v) ? "0" : v === Infinity ? "9e999" : v === -Infinity ? "-9e999" : String(v));

async function load(client: Client): Promise<void> {
  const sql = readFileSync(MIGRATION, "utf8");
  for (const stmt of sql.split("--> statement-breakpoint")) if (stmt.trim()) await client.execute(stmt);
  for (const e of EXPERIMENTS) {
    await client.execute({
      sql: "INSERT INTO experiments (experiment_id, name, artifact_location, lifecycle_stage, creation_time, last_update_time) VALUES (?, ?, ?, ?, ?, ?)",
      args: [e.id, e.name, `/art/${e.id}`, e.deleted ? "deleted" : "active", e.created, e.updated],
    });
    for (const [k, v] of Object.entries(e.tags ?? {})) {
      await client.execute({ sql: "INSERT INTO experiment_tags VALUES (?, ?, ?)", args: [e.id, k, v] });
    }
  }
  for (const [i, d] of DATASETS.entries()) {
    await client.execute({
      sql: "INSERT INTO datasets (id, experiment_id, name, digest, source_type, source) VALUES (?, 1, ?, ?, 'local', 'src')",
      args: [i + 1, d.name, d.digest],
    });
  }
  for (const [i, r] of RUNS.entries()) {
    const id = i + 1;
    await client.execute({
      sql: "INSERT INTO runs (id, run_uuid, experiment_id, name, user_id, status, start_time, end_time, lifecycle_stage, artifact_uri) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
      args: [
        id,
        r.uuid,
        r.experimentId,
        r.name,
        r.user ?? "user",
        r.status ?? "RUNNING",
        r.start,
        r.end ?? null,
        r.deleted ? "deleted" : "active",
        `/art/${r.uuid}`,
      ],
    });
    const tags = { ...(r.nameTag === false ? {} : { "mlflow.runName": r.name }), ...r.tags };
    for (const [k, v] of Object.entries(tags))
      await client.execute({ sql: "INSERT INTO tags VALUES (?, ?, ?)", args: [id, k, v] });
    for (const [k, v] of Object.entries(r.params ?? {}))
      await client.execute({ sql: "INSERT INTO params VALUES (?, ?, ?)", args: [id, k, v] });
    for (const [k, v] of Object.entries(r.metrics ?? {})) {
      await client.execute({
        sql: `INSERT INTO latest_metrics (run_id, key, step, timestamp, value, is_nan) VALUES (?, ?, 0, 0, ${real(v)}, ?)`,
        args: [id, k, Number.isNaN(v) ? 1 : 0],
      });
    }
    for (const [position, [dataset, context]] of (r.inputs ?? []).entries()) {
      await client.execute({
        sql: "INSERT INTO run_dataset_inputs VALUES (?, ?, ?)",
        args: [id, dataset + 1, position],
      });
      if (context) {
        await client.execute({
          sql: "INSERT INTO run_dataset_input_tags VALUES (?, ?, 'mlflow.data.context', ?)",
          args: [id, dataset + 1, context],
        });
      }
    }
  }
}

export interface SearchDb {
  client: Client;
  /** Names of the runs of one page, and the next page's token. */
  runs(q: Partial<RunSearchQuery>): Promise<{ names: string[]; token?: string }>;
  /** Every page in turn, with the given page size. */
  allRuns(q: Partial<RunSearchQuery>, pageSize: number): Promise<string[][]>;
  experiments(q: Partial<ExperimentSearchQuery>): Promise<{ names: string[]; token?: string }>;
  allExperiments(q: Partial<ExperimentSearchQuery>, pageSize: number): Promise<string[][]>;
}

/** Runs a compiled search the way the store does: one extra row tells whether a next page exists. */
async function page(client: Client, compiled: ReturnType<typeof compileRunSearch>, maxResults: number, label: string) {
  const rs = await client.execute({ sql: compiled.sql, args: compiled.args });
  const rows = rs.rows as unknown as Record<string, unknown>[];
  const shown = rows.slice(0, maxResults);
  const last = shown.at(-1);
  return {
    names: shown.map((r) => String(r[label])),
    ...(rows.length > maxResults && last ? { token: compiled.nextPageToken(last) } : {}),
  };
}

/** A fixture database for the calling test file. */
export function useSearchDb(): SearchDb {
  const dir = mkdtempSync(join(tmpdir(), "tracklite-search-"));
  const db = {} as SearchDb;
  beforeAll(async () => {
    db.client = createClient({ url: `file:${join(dir, "search.db")}`, intMode: "number" });
    await load(db.client);
  });
  afterAll(() => {
    db.client.close();
    rmSync(dir, { recursive: true, force: true });
  });
  const runIds = (names: string[]) => names.map((uuid) => RUNS.find((r) => r.uuid === uuid)?.name ?? uuid);
  db.runs = async (q) => {
    const full = { experimentIds: [1], viewType: "ACTIVE_ONLY", maxResults: 1000, ...q } as RunSearchQuery;
    const p = await page(db.client, compileRunSearch(full), full.maxResults, "run_uuid");
    return { ...p, names: runIds(p.names) };
  };
  db.experiments = async (q) => {
    const full = { viewType: "ACTIVE_ONLY", maxResults: 1000, ...q } as ExperimentSearchQuery;
    return page(db.client, compileExperimentSearch(full), full.maxResults, "name");
  };
  const all = async (fetch: (token?: string) => Promise<{ names: string[]; token?: string }>) => {
    const pages: string[][] = [];
    let token: string | undefined;
    do {
      const p = await fetch(token);
      pages.push(p.names);
      token = p.token;
    } while (token && pages.length < 100);
    return pages;
  };
  db.allRuns = (q, size) => all((t) => db.runs({ ...q, maxResults: size, ...(t ? { pageToken: t } : {}) }));
  db.allExperiments = (q, size) =>
    all((t) => db.experiments({ ...q, maxResults: size, ...(t ? { pageToken: t } : {}) }));
  return db;
}
