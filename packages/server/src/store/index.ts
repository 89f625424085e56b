import { WebhookDispatcher } from "../webhooks/dispatcher.js";
import { deliveryPolicy, type WebhookOptions } from "../webhooks/options.js";
import { SecretBox } from "../webhooks/secret-box.js";
import { type DbHandle, type OpenOptions, openDatabase } from "./db.js";
import { mapDatabaseError, withDatabaseErrors } from "./db-errors.js";
import { ExperimentStore } from "./experiments.js";
import { LoggedModelStore } from "./logged-models.js";
import { MetricStore } from "./metrics.js";
import { AliasStore } from "./model-aliases.js";
import { ModelVersionStore } from "./model-versions.js";
import { RegisteredModelStore } from "./registered-models.js";
import { RunLogStore } from "./run-logging.js";
import { RunStore } from "./runs.js";
import { type SearchRunsArgs, searchRuns } from "./search-runs.js";
import { WebhookStore } from "./webhooks.js";

export interface StoreOptions extends OpenOptions {
  /** Root under which experiments get their artifact location, e.g. `mlflow-artifacts:/`. */
  defaultArtifactRoot: string;
  /** Cut param and tag values over MLflow's limits instead of refusing them; MLflow 3's default is on. */
  truncateLongValues?: boolean;
  /** Where webhooks may point and how they are delivered; the reference's defaults where left out. */
  webhooks?: WebhookOptions;
}

/** The tracking store and model registry: every read and write of their data, and all the SQL. */
export interface Store {
  readonly experiments: ExperimentStore;
  readonly runs: RunStore;
  readonly logging: RunLogStore;
  readonly metrics: MetricStore;
  readonly loggedModels: LoggedModelStore;
  readonly registeredModels: RegisteredModelStore;
  readonly modelVersions: ModelVersionStore;
  readonly modelAliases: AliasStore;
  readonly webhooks: WebhookStore;
  /** Sends registry events to webhooks, and `/test` payloads. */
  readonly webhookDelivery: WebhookDispatcher;
  searchRuns(args: SearchRunsArgs): ReturnType<typeof searchRuns>;
  close(): void;
}

/** Opens the database (migrating it) and makes sure the Default experiment exists. */
export async function createStore(options: StoreOptions): Promise<Store> {
  const h: DbHandle = await openDatabase(options);
  const experiments = new ExperimentStore(h, options.defaultArtifactRoot);
  await experiments.ensureDefault();
  const runs = new RunStore(h, experiments);
  const loggedModels = new LoggedModelStore(h, experiments);
  const policy = deliveryPolicy(options.webhooks);
  const secretKey = options.webhooks?.secretKey;
  const webhooks = new WebhookStore(h, policy, secretKey ? await SecretBox.fromKey(secretKey) : undefined);
  // The registry tells the dispatcher about its writes; the dispatcher asks the registry which models are prompts.
  const webhookDelivery: WebhookDispatcher = new WebhookDispatcher(
    {
      subscribers: (event) => webhooks.subscribers(event),
      isPrompt: (name): Promise<boolean> => registeredModels.isPrompt(name),
    },
    policy,
  );
  const registeredModels: RegisteredModelStore = new RegisteredModelStore(h, webhookDelivery.notify);
  const modelAliases = new AliasStore(h, webhookDelivery.notify);
  // Database failures that are the server's condition (a full disk) reach clients as the reference's 503.
  const guard = withDatabaseErrors;
  return {
    experiments: guard(experiments),
    runs: guard(runs),
    logging: guard(new RunLogStore(h, runs, options.truncateLongValues ?? true)),
    metrics: guard(new MetricStore(h)),
    loggedModels: guard(loggedModels),
    registeredModels: guard(registeredModels),
    modelVersions: guard(
      new ModelVersionStore(h, {
        runs,
        loggedModels,
        aliases: modelAliases,
        notify: webhookDelivery.notify,
      }),
    ),
    modelAliases: guard(modelAliases),
    webhooks: guard(webhooks),
    webhookDelivery,
    searchRuns: (args) => searchRuns(h, args).catch((e: unknown) => Promise.reject(mapDatabaseError(e))),
    close: () => h.client.close(),
  };
}

export type { SearchRunsArgs };
