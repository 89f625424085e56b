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
import { arraySource as arrays } from "../array-source.test-helpers.js";

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

/**
 * The import's in-test source (`../array-source.test-helpers.ts`) over verify's keyed arrays, histories and dataset
 * records in batches of 2, counting only experiments, runs and metric points.
 */
export function arraySource(data: SourceData): ImportSource {
  return arrays(
    {
      experiments: data.experiments.map((experiment) => ({
        experiment,
        runs: (data.runs[experiment.experiment_id] ?? []).map((run) => ({
          run,
          history: data.history[run.run.info.run_id] ?? [],
        })),
        loggedModels: data.loggedModels?.[experiment.experiment_id] ?? [],
        traces: data.traces?.[experiment.experiment_id] ?? [],
        scorers: data.scorers?.[experiment.experiment_id] ?? [],
      })),
      evaluationDatasets: (data.datasets ?? []).map((d) => ({
        dataset: d.dataset,
        experiment_ids: d.experiment_ids,
        records: () => batches(d.records, 2),
      })),
      registeredModels: data.registeredModels ?? [],
      webhooks: data.webhooks ?? [],
    },
    { batch: 2, uncounted: ["logged_models", "traces", "registered_models", "webhooks", "users"] },
  );
}

async function* batches<T>(items: T[], size: number): AsyncIterable<T[]> {
  for (let i = 0; i < items.length; i += size) yield items.slice(i, i + size);
}
