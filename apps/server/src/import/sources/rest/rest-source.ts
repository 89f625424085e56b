import { type ClientOptions, isMlflowApiError, MlflowClient } from "@tracklite/client";
import type { Experiment, Run } from "@tracklite/schemas";
import type {
  ArtifactReader,
  ImportAuthUser,
  ImportEvaluationDataset,
  ImportFilter,
  ImportLoggedModel,
  ImportRegisteredModel,
  ImportRun,
  ImportScorer,
  ImportSource,
  ImportTrace,
  ImportWebhook,
  MetricPoint,
  SkippedItem,
  SourceCounts,
  SourceDescription,
} from "@tracklite/server/import";
import { restArtifactReader } from "./artifact-reader.js";
import { DEFAULT_CONCURRENCY, itemsAhead, mapOrdered } from "./concurrency.js";
import { clientOptionsFromEnv, type Env } from "./env-options.js";
import { HISTORY_PAGE_MAX, runHistory } from "./metric-history.js";
import { registeredModels } from "./registry.js";
import { applyTrackingTls } from "./tls.js";
import { isDeletedExperimentRefusal, isUnsupported } from "./unsupported.js";

/** How to read a live server. Credentials and retries default to MLflow's environment variables, as its client's do. */
export interface RestSourceOptions extends Omit<ClientOptions, "trackingUri"> {
  /**
   * Where MLflow's variables (MLFLOW_TRACKING_USERNAME/PASSWORD/TOKEN, MLFLOW_HTTP_REQUEST_*, MLFLOW_TRACKING_INSECURE_TLS…)
   * are read first. What it leaves unset falls back to this process's environment; options given explicitly win.
   */
  env?: Env;
  /** Requests kept in flight (metric keys, traces, model versions fetched ahead). Default 4. */
  concurrency?: number;
  /** Points per get-metric-history page (one batch for the sink). Default and maximum: 25,000, the reference's cap. */
  historyPageSize?: number;
  /** Runs per search-runs page. Default 1,000. */
  runsPageSize?: number;
}

/** The reference's page caps and defaults. @see mlflow/store/tracking/__init__.py */
const EXPERIMENTS_PAGE = 1000;
const LOGGED_MODELS_PAGE = 100;
const TRACES_PAGE = 100;
const DATASETS_PAGE = 50;
const RECORDS_PAGE = 1000;
const WEBHOOKS_PAGE = 1000;
/** Retries of a webhook listing (see `webhookClient`). */
const WEBHOOK_RETRIES = 1;

/** How many runs' metric keys are kept for their history reads (a fallback get-run serves the others). */
const MAX_REMEMBERED_RUNS = 10_000;

/** The run tag the reference answers a trace's run link under (trace metadata). @see mlflow/tracing/constant.py */
const SOURCE_RUN = "mlflow.sourceRun";

/**
 * Opens a live MLflow (or tracklite) server as an import source: every entity is read through MLflow's REST API
 * and passed through as the server answers it. Nothing is requested until the importer asks.
 */
export async function openRestSource(url: string, options: RestSourceOptions = {}): Promise<ImportSource> {
  applyTrackingTls(url, options.env);
  return new RestSource(url, options);
}

class RestSource implements ImportSource {
  private readonly client: MlflowClient;
  /**
   * The client that lists webhooks: one retry at most. The reference answers a lasting 500 there when it cannot
   * decrypt a stored secret (its encryption key changed since); MLflow's policy would retry it for minutes before
   * the webhooks are reported as skipped.
   */
  private readonly webhookClient: MlflowClient;
  private readonly window: number;
  private readonly historyPage: number;
  private readonly runsPage: number;
  private readonly skips = new Map<string, SkippedItem>();
  /** Metric keys of the runs `runs()` has yielded and whose history was not read yet (search-runs gives them). */
  private readonly metricKeys = new Map<string, string[]>();
  /** Whether requests carry credentials (then the server likely runs MLflow's basic auth, whose users stay behind). */
  private readonly authenticated: boolean;

  constructor(
    private readonly url: string,
    options: RestSourceOptions,
  ) {
    const { concurrency, historyPageSize, runsPageSize, env, ...client } = options;
    const given = Object.fromEntries(Object.entries(client).filter(([, v]) => v !== undefined));
    const fromEnv = env ? clientOptionsFromEnv(env) : {};
    const settings: ClientOptions = { ...fromEnv, ...splitCredentials(url), ...given };
    this.client = new MlflowClient(settings);
    this.webhookClient = new MlflowClient({
      ...settings,
      maxRetries: Math.min(WEBHOOK_RETRIES, settings.maxRetries ?? 7),
    });
    this.authenticated = Boolean(
      settings.username ?? settings.token ?? process.env.MLFLOW_TRACKING_USERNAME ?? process.env.MLFLOW_TRACKING_TOKEN,
    );
    this.window = Math.max(1, concurrency ?? DEFAULT_CONCURRENCY);
    this.historyPage = Math.min(HISTORY_PAGE_MAX, Math.max(1, historyPageSize ?? HISTORY_PAGE_MAX));
    this.runsPage = Math.max(1, runsPageSize ?? 1000);
  }

  async describe(): Promise<SourceDescription> {
    const out: SourceDescription = { kind: "rest", label: maskPassword(this.url) };
    try {
      const res = await this.client.transport.requestUrl("GET", `${this.client.trackingUri}/version`);
      const text = (await res.text()).trim();
      if (text && text.length < 64) out.version = text;
    } catch {
      // a server without /version (a proxy in front, an old MLflow): the version stays unknown
    }
    return out;
  }

  async counts(filter: ImportFilter): Promise<SourceCounts> {
    let experiments = 0;
    let runs = 0;
    for await (const e of this.experiments(filter)) {
      experiments++;
      for await (const _ of this.runIds(e.experiment_id)) runs++;
    }
    return { experiments, runs };
  }

  async *experiments(filter: ImportFilter): AsyncGenerator<Experiment> {
    const wanted = filter.experiments ? new Set(filter.experiments) : undefined;
    const all = itemsAhead<Experiment>(async (token) => {
      const r = await this.client.call("searchExperiments", {
        view_type: "ALL",
        max_results: EXPERIMENTS_PAGE,
        page_token: token,
      });
      return { items: r.experiments ?? [], next: r.next_page_token };
    });
    for await (const e of all) if (!wanted || wanted.has(e.experiment_id) || wanted.has(e.name)) yield e;
  }

  async *runs(experimentId: string): AsyncGenerator<ImportRun> {
    // search-runs leaves `inputs.model_inputs` out (the reference fills them in get-run only): each run is read
    // again with get-run, a window of them in flight, and keeps search-runs' order.
    const full = mapOrdered(this.searchRuns(experimentId), this.window, async (listed) => {
      const run = await this.client.getRun(listed.info.run_id);
      return { ...listed, inputs: run.inputs ?? listed.inputs } as Run;
    });
    for await (const run of full) {
      const { metrics, ...data } = run.data ?? {};
      this.metricKeys.set(run.info.run_id, [...new Set((metrics ?? []).map((m) => m.key))]);
      // Runs the importer skips (done earlier) never ask for their history: forget the oldest beyond a bound.
      if (this.metricKeys.size > MAX_REMEMBERED_RUNS)
        this.metricKeys.delete(this.metricKeys.keys().next().value as string);
      // The sink derives latest metrics from the history: the run goes without them (the contract's ImportRun).
      yield { run: { ...run, data } };
    }
  }

  async *metricHistory(runId: string): AsyncGenerator<MetricPoint[]> {
    let keys = this.metricKeys.get(runId);
    this.metricKeys.delete(runId);
    if (!keys) {
      const run = await this.client.getRun(runId);
      keys = [...new Set((run.data?.metrics ?? []).map((m) => m.key))];
    }
    yield* runHistory(this.client, runId, keys, { pageSize: this.historyPage, window: this.window });
  }

  async *loggedModels(experimentId: string): AsyncGenerator<ImportLoggedModel> {
    const models = itemsAhead(async (token) => {
      const page = await this.client.searchLoggedModels({
        experimentIds: [experimentId],
        maxResults: LOGGED_MODELS_PAGE,
        pageToken: token,
      });
      return { items: page.items, next: page.nextPageToken };
    });
    for await (const model of this.optional("logged models", models, experimentId)) yield { model };
  }

  async *traces(experimentId: string): AsyncGenerator<ImportTrace> {
    const infos = itemsAhead(async (token) => {
      const page = await this.client.searchTraces([experimentId], { maxResults: TRACES_PAGE, pageToken: token });
      return { items: page.items, next: page.nextPageToken };
    });
    const full = mapOrdered(this.optional("traces", infos, experimentId), this.window, async (info) => {
      const trace = await this.client.getTrace(info.trace_id);
      const out: ImportTrace = { trace: { trace_info: trace.trace_info, spans: trace.spans } };
      const run = trace.trace_info.trace_metadata?.[SOURCE_RUN];
      if (run) out.linked_run_ids = [run];
      return out;
    });
    yield* full;
  }

  async *scorers(experimentId: string): AsyncGenerator<ImportScorer> {
    const latest = this.optional("scorers", this.listScorers(experimentId), experimentId);
    yield* mapOrdered(latest, this.window, async (name) => ({
      experiment_id: experimentId,
      versions: await this.client.listScorerVersions(experimentId, name),
    }));
  }

  async *evaluationDatasets(filter: ImportFilter): AsyncGenerator<ImportEvaluationDataset> {
    let experimentIds: string[] | undefined;
    if (filter.experiments) {
      experimentIds = [];
      for await (const e of this.experiments(filter)) experimentIds.push(e.experiment_id);
      if (experimentIds.length === 0) return;
    }
    const datasets = itemsAhead(async (token) => {
      const page = await this.client.searchEvaluationDatasets({
        experimentIds,
        maxResults: DATASETS_PAGE,
        pageToken: token,
      });
      return { items: page.items, next: page.nextPageToken };
    });
    const withIds = mapOrdered(this.optional("evaluation datasets", datasets), this.window, async (dataset) => ({
      dataset,
      experiment_ids: await this.client.getDatasetExperimentIds(dataset.dataset_id),
      records: () => this.records(dataset.dataset_id),
    }));
    yield* withIds;
  }

  async *registeredModels(): AsyncGenerator<ImportRegisteredModel> {
    yield* registeredModels(this.client, this.window);
  }

  async *webhooks(): AsyncGenerator<ImportWebhook> {
    let n = 0;
    try {
      for await (const webhook of this.webhookPages()) {
        n++;
        yield { webhook };
      }
    } catch (e) {
      // The reference answers 500 when it cannot decrypt a stored secret (its encryption key changed since): the
      // webhooks are lost to REST, not the rest of the import.
      if (!isMlflowApiError(e) || e.status < 500) throw e;
      this.skip("webhooks", `the server failed to list them (${e.message})`);
      return;
    }
    if (n > 0) {
      this.skip(
        "webhook secrets",
        `MLflow's REST API never returns a webhook's secret: set it again on the ${n} imported webhook(s) that had one`,
      );
    }
  }

  authUsers(): AsyncIterable<ImportAuthUser> {
    // MLflow's basic-auth API lists no users and never answers a password hash; only its database holds them.
    if (this.authenticated) {
      this.skip("basic-auth users", "a server's REST API does not list users or their passwords: pass --auth-db");
    }
    return (async function* () {})();
  }

  artifacts(): ArtifactReader | undefined {
    return restArtifactReader(this.client);
  }

  skipped(): SkippedItem[] {
    return [...this.skips.values()];
  }

  async close(): Promise<void> {
    this.metricKeys.clear();
  }

  private searchRuns(experimentId: string): AsyncGenerator<Run> {
    return itemsAhead(async (token) => {
      const page = await this.client.searchRuns([experimentId], {
        runViewType: "ALL",
        maxResults: this.runsPage,
        pageToken: token,
      });
      return { items: page.items, next: page.nextPageToken };
    });
  }

  private async *runIds(experimentId: string): AsyncGenerator<string> {
    for await (const run of this.searchRuns(experimentId)) yield run.info.run_id;
  }

  private async *listScorers(experimentId: string): AsyncGenerator<string> {
    for (const s of await this.client.listScorers(experimentId)) yield s.scorer_name;
  }

  private async *records(datasetId: string): AsyncGenerator<Record<string, unknown>[]> {
    let token: string | undefined;
    do {
      const page = await this.client.getDatasetRecords(datasetId, { maxResults: RECORDS_PAGE, pageToken: token });
      if (page.items.length > 0) yield page.items as unknown as Record<string, unknown>[];
      token = page.nextPageToken;
    } while (token);
  }

  private webhookPages() {
    return this.optional(
      "webhooks",
      itemsAhead(async (token) => {
        const page = await this.webhookClient.listWebhooks({ maxResults: WEBHOOKS_PAGE, pageToken: token });
        return { items: page.items, next: page.nextPageToken };
      }),
    );
  }

  /**
   * Passes `items` through; when the server has no such endpoint (or will not list a deleted experiment's), ends
   * quietly and notes the gap once.
   */
  private async *optional<T>(what: string, items: AsyncIterable<T>, experimentId?: string): AsyncGenerator<T> {
    try {
      yield* items;
    } catch (e) {
      const message = e instanceof Error ? e.message : String(e);
      if (experimentId !== undefined && isDeletedExperimentRefusal(e)) {
        this.skip(`${what} of deleted experiment ${experimentId}`, `the server does not list them (${message})`);
      } else if (isUnsupported(e)) {
        this.skip(what, `the server does not serve them (${message})`);
      } else {
        throw e;
      }
    }
  }

  private skip(what: string, reason: string): void {
    if (!this.skips.has(what)) this.skips.set(what, { what, reason });
  }
}

/**
 * `http://user:pass@host` as the server URL and basic-auth credentials (fetch refuses URLs that carry credentials).
 * Credentials in the URL win over MLFLOW_TRACKING_USERNAME/PASSWORD; explicit options win over both.
 */
function splitCredentials(url: string): Pick<ClientOptions, "trackingUri" | "username" | "password"> {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return { trackingUri: url };
  }
  if (!u.username && !u.password) return { trackingUri: url };
  const username = decodeURIComponent(u.username);
  const password = decodeURIComponent(u.password);
  u.username = "";
  u.password = "";
  return { trackingUri: u.toString(), username, password };
}

/** The URL with any password in it replaced by `***`, for printing. */
export function maskPassword(url: string): string {
  try {
    const u = new URL(url);
    if (!u.password) return url;
    u.password = "***";
    return u.toString();
  } catch {
    return url;
  }
}
