import { type DbHandle, type OpenOptions, openDatabase } from "./db.js";
import { ExperimentStore } from "./experiments.js";
import { LoggedModelStore } from "./logged-models.js";
import { MetricStore } from "./metrics.js";
import { RunLogStore } from "./run-logging.js";
import { RunStore } from "./runs.js";
import { type SearchRunsArgs, searchRuns } from "./search-runs.js";

export interface StoreOptions extends OpenOptions {
  /** Root under which experiments get their artifact location, e.g. `mlflow-artifacts:/`. */
  defaultArtifactRoot: string;
  /** Cut param and tag values over MLflow's limits instead of refusing them; MLflow 3's default is on. */
  truncateLongValues?: boolean;
}

/** The tracking store: every read and write of tracking data, and all the SQL. */
export interface Store {
  readonly experiments: ExperimentStore;
  readonly runs: RunStore;
  readonly logging: RunLogStore;
  readonly metrics: MetricStore;
  readonly loggedModels: LoggedModelStore;
  searchRuns(args: SearchRunsArgs): ReturnType<typeof searchRuns>;
  close(): void;
}

/** Opens the database (migrating it) and makes sure the Default experiment exists. */
export async function createStore(options: StoreOptions): Promise<Store> {
  const h: DbHandle = await openDatabase(options);
  const experiments = new ExperimentStore(h, options.defaultArtifactRoot);
  await experiments.ensureDefault();
  const runs = new RunStore(h, experiments);
  return {
    experiments,
    runs,
    logging: new RunLogStore(h, runs, options.truncateLongValues ?? true),
    metrics: new MetricStore(h),
    loggedModels: new LoggedModelStore(h, experiments),
    searchRuns: (args) => searchRuns(h, args),
    close: () => h.client.close(),
  };
}

export type { SearchRunsArgs };
