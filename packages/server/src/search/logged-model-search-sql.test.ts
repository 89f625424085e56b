import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type Client, createClient, type InValue } from "@libsql/client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { MlflowError } from "../errors.js";
import { compileLoggedModelSearch, type LoggedModelSearchQuery } from "./logged-model-search-sql.js";

/**
 * The compiled searches run on a small fixture with deterministic ids, so that the tie-breakers the differential
 * tests cannot pin (random model and run ids there) are checked here.
 */

const RUN_A = "a".repeat(32);
const RUN_B = "b".repeat(32);
// name, model id, created, status, model_type
const MODELS: [string, string, number, number, string | null][] = [
  ["one", "m-3", 100, 1, "sk"],
  ["two", "m-1", 200, 2, "torch"],
  ["three", "m-2", 200, 1, null],
  ["four", "m-4", 300, 3, "sk"],
];
// model, key, timestamp, step, run, value
const METRICS: [string, string, number, number, string, string, string | null][] = [
  ["m-3", "acc", 10, 0, RUN_B, "0.9", null],
  ["m-3", "acc", 10, 0, RUN_A, "0.1", null], // same time and step: run a's point is the latest
  ["m-1", "acc", 5, 0, RUN_A, "0.5", "ds"],
  ["m-2", "acc", 5, 1, RUN_A, "9e999", null],
  ["m-2", "acc", 5, 0, RUN_A, "0.05", null],
  ["m-4", "loss", 1, 0, RUN_A, "0", null],
];

let dir: string;
let client: Client;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "tracklite-lm-search-"));
  client = createClient({ url: `file:${join(dir, "t.db")}`, intMode: "number" });
  const migrations = new URL("../../drizzle/", import.meta.url);
  for (const file of readdirSync(migrations)
    .filter((f) => f.endsWith(".sql"))
    .sort()) {
    for (const stmt of readFileSync(new URL(file, migrations), "utf8").split("--> statement-breakpoint")) {
      if (stmt.trim()) await client.execute(stmt);
    }
  }
  for (const [i, uuid] of [RUN_A, RUN_B].entries()) {
    await client.execute({
      sql: "INSERT INTO runs (id, run_uuid, experiment_id, name, user_id, status, start_time, lifecycle_stage, artifact_uri) VALUES (?, ?, 1, 'r', '', 'RUNNING', 0, 'active', '')",
      args: [i + 1, uuid],
    });
  }
  for (const [i, [name, modelId, created, status, type]] of MODELS.entries()) {
    await client.execute({
      sql: "INSERT INTO logged_models (id, model_id, experiment_id, name, artifact_location, creation_timestamp_ms, last_updated_timestamp_ms, status, model_type) VALUES (?, ?, 1, ?, '', ?, ?, ?, ?)",
      args: [i + 1, modelId, name, created, created, status, type],
    });
  }
  await client.execute("INSERT INTO logged_model_params VALUES (1, 'lr', '0.1'), (2, 'lr', '0.2')");
  for (const [modelId, key, ts, step, run, value, dataset] of METRICS) {
    await client.execute({
      sql: `INSERT INTO logged_model_metrics (model_id, key, timestamp, step, run_id, value, dataset_name)
            SELECT m.id, ?, ?, ?, r.id, ${value}, ? FROM logged_models m, runs r WHERE m.model_id = ? AND r.run_uuid = ?`,
      args: [key, ts, step, dataset, modelId, run],
    });
  }
});

afterAll(() => {
  client.close();
  rmSync(dir, { recursive: true, force: true });
});

const base: LoggedModelSearchQuery = { experimentIds: ["1"], maxResults: 10, offset: 0 };

async function names(q: Partial<LoggedModelSearchQuery>): Promise<string[]> {
  const { sql, args } = compileLoggedModelSearch({ ...base, ...q });
  const rs = await client.execute({ sql, args: args as InValue[] });
  return rs.rows.map((r) => r.name as string);
}

const order = (field_name: string, ascending = true, dataset_name: string | null = null) => ({
  field_name,
  ascending,
  dataset_name,
  dataset_digest: null,
});

describe("compileLoggedModelSearch", () => {
  it("orders newest first, ties broken by model id", async () => {
    expect(await names({})).toEqual(["four", "two", "three", "one"]);
    expect(await names({ orderBy: [order("model_id", false)] })).toEqual(["four", "one", "three", "two"]);
    expect(await names({ orderBy: [order("status")] })).toEqual(["three", "one", "two", "four"]);
  });

  it("orders by each model's latest metric value (timestamp, step, then run id), missing values last", async () => {
    // one: latest acc is run a's 0.1; three: step 1's +Inf; four has no acc
    expect(await names({ orderBy: [order("metrics.acc")] })).toEqual(["one", "two", "three", "four"]);
    expect(await names({ orderBy: [order("metrics.acc", false)] })).toEqual(["three", "two", "one", "four"]);
    expect(await names({ orderBy: [order("metrics.acc", true, "ds")] })).toEqual(["two", "four", "three", "one"]);
  });

  it("matches a metric filter on any logged point, and nulls never equal", async () => {
    expect(await names({ filter: "metrics.acc > 0.8" })).toEqual(["three", "one"]);
    expect(await names({ filter: "metrics.acc = 1.7976931348623157e308" })).toEqual(["three"]);
    expect(await names({ filter: "model_type != 'sk'" })).toEqual(["two"]);
    expect(await names({ filter: "params.lr LIKE '0.%'" })).toEqual(["two", "one"]);
    expect(await names({ datasets: [{ dataset_name: "ds", dataset_digest: null }] })).toEqual(["two"]);
  });

  it("pages by offset", async () => {
    expect(await names({ maxResults: 2, offset: 2 })).toEqual(["three", "one"]);
  });

  it("checks attribute names after the whole filter parsed, then experiment ids, then order_by", () => {
    const error = (q: Partial<LoggedModelSearchQuery>) => {
      try {
        compileLoggedModelSearch({ ...base, ...q });
      } catch (e) {
        return (e as MlflowError).message;
      }
      return "compiled";
    };
    expect(error({ filter: "foo = 'a' AND metric.x > 1", experimentIds: ["x"] })).toMatch(/^Invalid entity type/);
    expect(error({ filter: "foo = 'a'", experimentIds: ["x"] })).toBe(
      "type object 'SqlLoggedModel' has no attribute 'foo'",
    );
    expect(error({ experimentIds: ["x"], orderBy: [order("foo")] })).toMatch(/^Invalid experiment ID 'x'/);
    expect(error({ orderBy: [order("params.lr")] })).toBe(
      "Invalid order by field name: params.lr. Only metrics are supported.",
    );
    expect(error({ filter: "name IN (1)" })).toMatch(/^IN expression list/);
  });
});
