import { execFile } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import Database from "libsql";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createArtifactReader } from "../../artifacts/index.js";
import { openRestSource } from "../rest/index.js";
import { genaiEntities } from "./genai.test-helpers.js";
import { startMlflowServer, VENVS } from "./reference.test-helpers.js";
import { openSqlSource } from "./sql-source.js";

const run = promisify(execFile);
const SEED = new URL("./testdata/seed_genai.py", import.meta.url).pathname;

/**
 * Traces, GenAI datasets and scorers read from a SQLite database written by the real 3.17.2 server (seeded through
 * the real client) must equal what the REST source reads from that same server.
 */
describe("traces, GenAI datasets and scorers of a SQLite database written by MLflow 3.17.2", () => {
  const state = {
    dir: "",
    db: "",
    experiments: [] as string[],
    rest: undefined as unknown as Awaited<ReturnType<typeof genaiEntities>>,
  };
  beforeAll(async () => {
    state.dir = mkdtempSync(join(tmpdir(), "sql-genai-"));
    state.db = join(state.dir, "mlflow.db");
    const server = await startMlflowServer(VENVS.mlflow3, `sqlite:///${state.db}`, state.dir);
    try {
      await run(`${VENVS.mlflow3}bin/python`, [SEED], {
        cwd: state.dir,
        env: { ...process.env, MLFLOW_TRACKING_URI: server.url },
        maxBuffer: 1 << 24,
      });
      const response = await fetch(`${server.url}/api/2.0/mlflow/experiments/search`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ max_results: 1000, view_type: "ALL" }),
      });
      const { experiments } = (await response.json()) as { experiments: { experiment_id: string }[] };
      state.experiments = experiments.map((e) => e.experiment_id);
      const rest = await openRestSource(server.url);
      state.rest = await genaiEntities(rest, state.experiments);
      await rest.close();
    } finally {
      await server.stop();
    }
  }, 420_000);
  afterAll(() => rmSync(state.dir, { recursive: true, force: true }));

  it("yields every trace (spans, assessments, run links), dataset (records) and scorer as the REST source does", async () => {
    const source = await openSqlSource(`sqlite:///${state.db}`);
    try {
      const sql = await genaiEntities(source, state.experiments);
      // what the seed wrote is all there: the comparison below is not between two empty lists
      expect(sql.traces).toHaveLength(6);
      expect(sql.traces.filter((t) => (t as { linked_run_ids?: string[] }).linked_run_ids)).toHaveLength(1);
      expect(JSON.stringify(sql.traces)).toContain('"int_value":"1700000000123456789"');
      expect(sql.datasets.map((d) => (d.records as unknown[]).length).sort()).toEqual([0, 25]);
      expect(sql.scorers).toHaveLength(1);
      expect(sql.scorers).toEqual(state.rest.scorers);
      expect(sql.datasets).toEqual(state.rest.datasets);
      expect(sql.traces).toEqual(state.rest.traces);

      const counts = await source.counts({});
      expect(counts.traces).toBe(6);
      expect(counts.evaluation_datasets).toBe(2);
      expect(source.skipped()).toEqual([]);
    } finally {
      await source.close();
    }
  }, 60_000);

  it("picks datasets by the experiments they are linked to", async () => {
    const source = await openSqlSource(`sqlite:///${state.db}`);
    try {
      const names: string[] = [];
      for await (const { dataset } of source.evaluationDatasets({ experiments: ["sql-genai-other"] })) {
        names.push(dataset.name);
      }
      expect(names).toEqual(["sql-genai-ds"]);
    } finally {
      await source.close();
    }
  });

  it("on an older schema: no GenAI tables → nothing; spans outside the database from traces.json, else reported", async () => {
    const older = join(state.dir, "older.db");
    const db = new Database(state.db);
    db.prepare("VACUUM INTO ?").run(older);
    db.close();
    const copy = new Database(older);
    // one trace's spans as an older client left them: in the artifact store, no spansLocation tag
    const traceId = String(
      (copy.prepare("SELECT request_id FROM trace_info WHERE trace_name = 'answer'").get() as { request_id: string })
        .request_id,
    );
    const location = (
      copy
        .prepare("SELECT value FROM trace_tags WHERE request_id = ? AND key = 'mlflow.artifactLocation'")
        .get(traceId) as { value: string }
    ).value;
    const contents = copy
      .prepare("SELECT content FROM spans WHERE trace_id = ? ORDER BY parent_span_id IS NOT NULL, start_time_unix_nano")
      .all(traceId) as { content: string }[];
    mkdirSync(location, { recursive: true });
    writeFileSync(join(location, "traces.json"), `{"spans": [${contents.map((c) => c.content).join(", ")}]}`);
    copy.prepare("DELETE FROM trace_tags WHERE request_id = ? AND key = 'mlflow.trace.spansLocation'").run(traceId);
    for (const table of ["scorer_versions", "scorers", "evaluation_dataset_records", "evaluation_dataset_tags"]) {
      copy.exec(`DROP TABLE ${table}`);
    }
    copy.exec("DROP TABLE evaluation_datasets");
    copy.exec("DROP TABLE spans");
    copy.close();

    const source = await openSqlSource(`sqlite:///${older}`, { artifacts: createArtifactReader() });
    try {
      const got = await genaiEntities(source, state.experiments);
      expect(got.scorers).toEqual([]);
      expect(got.datasets).toEqual([]);
      expect(got.traces).toHaveLength(6);
      const spansOf = (traces: Record<string, unknown>[], id: string) =>
        traces.find((t) => JSON.stringify(t).includes(id))?.trace as { spans: unknown[] };
      expect(spansOf(got.traces, traceId).spans).toHaveLength(2);
      expect(spansOf(got.traces, traceId).spans).toEqual(spansOf(state.rest.traces, traceId).spans);
      // the other five say their spans are in the (now absent) spans table: none, each reported
      expect(source.skipped()).toHaveLength(5);
    } finally {
      await source.close();
    }
  });
});
