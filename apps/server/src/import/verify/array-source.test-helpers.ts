import type { Experiment } from "@tracklite/schemas";
import type {
  ImportEvaluationDataset,
  ImportLoggedModel,
  ImportRegisteredModel,
  ImportRun,
  ImportScorer,
  ImportSource,
  ImportTrace,
  ImportWebhook,
  MetricPoint,
} from "@tracklite/server/import";

/** What an in-test source holds: plain arrays, keyed by experiment id where the contract lists per experiment. */
export interface SourceData {
  experiments: Experiment[];
  runs: Record<string, ImportRun[]>;
  history: Record<string, MetricPoint[]>;
  loggedModels?: Record<string, ImportLoggedModel[]>;
  traces?: Record<string, ImportTrace[]>;
  scorers?: Record<string, ImportScorer[]>;
  datasets?: {
    dataset: ImportEvaluationDataset["dataset"];
    experiment_ids: string[];
    records: Record<string, unknown>[];
  }[];
  registeredModels?: ImportRegisteredModel[];
  webhooks?: ImportWebhook[];
}

/** An `ImportSource` over arrays (our own interface, not a mock of a client or database), histories in batches of 2. */
export function arraySource(data: SourceData): ImportSource {
  return {
    describe: async () => ({ kind: "test", label: "arrays" }),
    counts: async () => ({
      experiments: data.experiments.length,
      runs: Object.values(data.runs).flat().length,
      metric_points: Object.values(data.history).flat().length,
    }),
    experiments: (filter) =>
      iterate(data.experiments.filter((e) => !filter.experiments || filter.experiments.includes(e.experiment_id))),
    runs: (id) => iterate(data.runs[id] ?? []),
    metricHistory: (runId) => iterate(chunks(data.history[runId] ?? [], 2)),
    loggedModels: (id) => iterate(data.loggedModels?.[id] ?? []),
    traces: (id) => iterate(data.traces?.[id] ?? []),
    scorers: (id) => iterate(data.scorers?.[id] ?? []),
    evaluationDatasets: () =>
      iterate(
        (data.datasets ?? []).map((d) => ({
          dataset: d.dataset,
          experiment_ids: d.experiment_ids,
          records: () => iterate(chunks(d.records, 2)),
        })),
      ),
    registeredModels: () => iterate(data.registeredModels ?? []),
    webhooks: () => iterate(data.webhooks ?? []),
    authUsers: () => iterate([]),
    artifacts: () => undefined,
    skipped: () => [],
    close: async () => {},
  };
}

async function* iterate<T>(items: T[]): AsyncGenerator<T> {
  for (const item of items) yield item;
}

function chunks<T>(items: T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}
