import { type Client, createClient, type InStatement } from "@libsql/client";
import type { ImportSink } from "@tracklite/server/import";

/**
 * A minimal ImportSink into a libSQL file of its own (not tracklite's schema), for the orchestrator's tests while the
 * real sink is built elsewhere: every write is idempotent, and a run with its whole history and its checkpoint mark is
 * one transaction, which is what resume relies on. It counts its calls so that tests can tell what was (re)written.
 */
export interface FileSink extends ImportSink {
  calls: Record<string, number>;
  client: Client;
}

const SCHEMA = [
  "CREATE TABLE IF NOT EXISTS units (unit TEXT PRIMARY KEY, done_at INTEGER NOT NULL)",
  "CREATE TABLE IF NOT EXISTS items (kind TEXT NOT NULL, id TEXT NOT NULL, json TEXT NOT NULL, PRIMARY KEY (kind, id))",
  "CREATE TABLE IF NOT EXISTS points (run_id TEXT NOT NULL, key TEXT NOT NULL, step INTEGER NOT NULL, timestamp INTEGER NOT NULL, value REAL)",
];

export async function openFileSink(path: string): Promise<FileSink> {
  const client = createClient({ url: `file:${path}` });
  await client.batch(SCHEMA, "write");
  const calls: Record<string, number> = {};
  const count = (name: string) => {
    calls[name] = (calls[name] ?? 0) + 1;
  };
  const item = (kind: string, id: string, value: unknown): InStatement => ({
    sql: "INSERT INTO items (kind, id, json) VALUES (?, ?, ?) ON CONFLICT DO NOTHING",
    args: [kind, id, JSON.stringify(value)],
  });
  const mark = (unit: string): InStatement => ({
    sql: "INSERT INTO units (unit, done_at) VALUES (?, ?) ON CONFLICT DO NOTHING",
    args: [unit, Date.now()],
  });
  const write = async (name: string, statements: InStatement[]) => {
    count(name);
    await client.batch(statements, "write");
  };
  return {
    calls,
    client,
    async experiment(experiment) {
      await write("experiment", [item("experiment", experiment.experiment_id, experiment)]);
      return experiment.experiment_id;
    },
    async run(experimentId, run, history) {
      count("run");
      const runId = run.run.info.run_id;
      const tx = await client.transaction("write");
      try {
        const existing = await tx.execute({ sql: "SELECT 1 FROM items WHERE kind = 'run' AND id = ?", args: [runId] });
        let points = 0;
        if (existing.rows.length === 0) {
          await tx.execute(item("run", runId, { experimentId, ...run }));
          for await (const batch of history) {
            points += batch.length;
            await tx.batch(
              batch.map((p) => ({
                sql: "INSERT INTO points (run_id, key, step, timestamp, value) VALUES (?, ?, ?, ?, ?)",
                args: [runId, p.key, p.step, p.timestamp, p.value],
              })),
            );
          }
        }
        await tx.execute(mark(`run:${runId}`));
        await tx.commit();
        return { points };
      } finally {
        tx.close();
      }
    },
    loggedModel: (_e, model) => write("loggedModel", [item("logged-model", model.model.info.model_id, model)]),
    trace: (_e, trace) => write("trace", [item("trace", trace.trace.trace_info.trace_id, trace)]),
    scorer: (e, scorer) => write("scorer", [item("scorer", `${e}:${scorer.versions[0]?.scorer_name}`, scorer)]),
    async evaluationDataset(dataset, experimentIds) {
      let records = 0;
      for await (const batch of dataset.records()) records += batch.length;
      await write("evaluationDataset", [item("dataset", dataset.dataset.dataset_id, { ...dataset, experimentIds })]);
      return { records };
    },
    registeredModel: (model) => write("registeredModel", [item("registered-model", model.model.name, model)]),
    webhook: (webhook) => write("webhook", [item("webhook", webhook.webhook.webhook_id, webhook)]),
    authUser: (user) => write("authUser", [item("user", user.username, user)]),
    async isDone(unit) {
      const found = await client.execute({ sql: "SELECT 1 FROM units WHERE unit = ?", args: [unit] });
      return found.rows.length > 0;
    },
    markDone: (unit) => write("markDone", [mark(unit)]),
    close: async () => client.close(),
  };
}

/** What a sink file holds: items per kind, and the points per run. */
export async function sinkContents(client: Client) {
  const items = await client.execute("SELECT kind, count(*) AS n FROM items GROUP BY kind ORDER BY kind");
  const points = await client.execute("SELECT run_id, count(*) AS n FROM points GROUP BY run_id ORDER BY run_id");
  return {
    items: Object.fromEntries(items.rows.map((r) => [String(r.kind), Number(r.n)])),
    points: Object.fromEntries(points.rows.map((r) => [String(r.run_id), Number(r.n)])),
  };
}
