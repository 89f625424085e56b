import type {
  AssessmentInput,
  AssessmentWire,
  EvaluationDataset,
  Experiment,
  FileInfo,
  Issue,
  LabelSchema,
  ListArtifactsResponse,
  LoggedModel,
  LoggedModelStatus,
  Metric,
  ModelVersion,
  RegisteredModel,
  RequestOf,
  ResponseOf,
  ReviewQueue,
  ReviewQueueItem,
  ReviewQueueType,
  ReviewStatus,
  Run,
  RunStatus,
  ScorerWire,
  TraceInfoV3,
  Webhook,
  WebhookEvent,
} from "@tracklite/schemas";
import { type PathParamsOf, type RouteName, routes } from "@tracklite/schemas/routes";
import {
  type ArtifactSource,
  baseName,
  bodyFactory,
  encodePath,
  fs,
  joinPath,
  listLocalFiles,
  proxiedArtifactPath,
} from "./artifacts.js";
import { chunkBatch } from "./batch-limits.js";
import { type DatasetRecord, type DatasetRecordInput, parseRecords } from "./dataset-records.js";
import { isMlflowApiError } from "./errors.js";
import { type Page, paginate } from "./paging.js";
import { PROMPT_SOURCE, PROMPT_TAGS, type PromptVersion, parsePromptUri, toPromptVersion } from "./prompts.js";
import {
  type AssessmentChanges,
  assessmentUpdate,
  DELETE_TRACES_BATCH,
  type ExactTrace,
  type ExpectationOptions,
  expectationAssessment,
  type FeedbackOptions,
  feedbackAssessment,
  parseExactJson,
} from "./traces.js";
import { type ClientOptions, Transport } from "./transport.js";

type Tags = Record<string, string>;
type ViewType = "ACTIVE_ONLY" | "DELETED_ONLY" | "ALL";

/** Options of every search: MLflow's filter grammar, order_by clauses and paging. */
export interface SearchOptions {
  filterString?: string;
  orderBy?: string[];
  maxResults?: number;
  pageToken?: string;
}

/** Options of a logged-model search: its order_by is structured, not a string list. */
export interface LoggedModelSearch extends Omit<SearchOptions, "orderBy"> {
  experimentIds?: string[];
  datasets?: RequestOf<"searchLoggedModels">["datasets"];
  orderBy?: RequestOf<"searchLoggedModels">["order_by"];
}

const toTags = (tags: Tags | undefined) =>
  tags ? Object.entries(tags).map(([key, value]) => ({ key, value: String(value) })) : undefined;

/**
 * A typed client for every MLflow REST endpoint, with the Python `MlflowClient`'s methods in camelCase. Answers are
 * the wire messages (snake_case), typed by `@tracklite/schemas`. Works against tracklite and MLflow's own server.
 */
export class MlflowClient {
  readonly transport: Transport;

  constructor(options: ClientOptions = {}) {
    this.transport = new Transport(options);
  }

  /** The server's base URL. */
  get trackingUri(): string {
    return this.transport.baseUrl;
  }

  /**
   * Calls any endpoint by its name in the shared route table: GET sends the request as query parameters, the other
   * methods as a JSON body; `:name` path segments come from `path`.
   */
  call<N extends RouteName>(
    name: N,
    request: RequestOf<N> | Record<string, never> = {},
    path?: PathParamsOf<N>,
    init: { signal?: AbortSignal } = {},
  ): Promise<ResponseOf<N>> {
    const route = routes[name];
    const method = route.methods[0];
    const url = `/${"v3Only" in route && route.v3Only ? "3.0" : "2.0"}${route.path.replace(/:(\w+)/g, (_, p: string) =>
      encodeURIComponent((path as Record<string, string> | undefined)?.[p] ?? ""),
    )}`;
    const req = request as Record<string, unknown>;
    return this.transport.json<ResponseOf<N>>(method, url, {
      ...(method === "GET" ? { query: req } : { json: req }),
      signal: init.signal,
    });
  }

  // Experiments

  async createExperiment(name: string, opts: { artifactLocation?: string; tags?: Tags } = {}): Promise<string> {
    const r = await this.call("createExperiment", {
      name,
      artifact_location: opts.artifactLocation,
      tags: toTags(opts.tags),
    });
    return r.experiment_id;
  }

  async getExperiment(experimentId: string): Promise<Experiment> {
    return (await this.call("getExperiment", { experiment_id: experimentId })).experiment;
  }

  /** The experiment of that name, or undefined when there is none (as Python's returns None). */
  async getExperimentByName(name: string): Promise<Experiment | undefined> {
    try {
      return (await this.call("getExperimentByName", { experiment_name: name })).experiment;
    } catch (e) {
      if (isMlflowApiError(e, "RESOURCE_DOES_NOT_EXIST")) return undefined;
      throw e;
    }
  }

  async searchExperiments(opts: SearchOptions & { viewType?: ViewType } = {}): Promise<Page<Experiment>> {
    const r = await this.call("searchExperiments", {
      view_type: opts.viewType,
      max_results: opts.maxResults,
      filter: opts.filterString,
      order_by: opts.orderBy,
      page_token: opts.pageToken,
    });
    return { items: r.experiments ?? [], nextPageToken: r.next_page_token };
  }

  /** Every matching experiment, page after page. */
  iterateExperiments(
    opts: Omit<SearchOptions, "pageToken"> & { viewType?: ViewType } = {},
  ): AsyncGenerator<Experiment> {
    return paginate((pageToken) => this.searchExperiments({ ...opts, pageToken }));
  }

  async renameExperiment(experimentId: string, newName: string): Promise<void> {
    await this.call("updateExperiment", { experiment_id: experimentId, new_name: newName });
  }

  async deleteExperiment(experimentId: string): Promise<void> {
    await this.call("deleteExperiment", { experiment_id: experimentId });
  }

  async restoreExperiment(experimentId: string): Promise<void> {
    await this.call("restoreExperiment", { experiment_id: experimentId });
  }

  async setExperimentTag(experimentId: string, key: string, value: string): Promise<void> {
    await this.call("setExperimentTag", { experiment_id: experimentId, key, value });
  }

  async deleteExperimentTag(experimentId: string, key: string): Promise<void> {
    await this.call("deleteExperimentTag", { experiment_id: experimentId, key });
  }

  // Runs

  async createRun(
    experimentId: string,
    opts: { runName?: string; startTime?: number; tags?: Tags; userId?: string } = {},
  ): Promise<Run> {
    const r = await this.call("createRun", {
      experiment_id: experimentId,
      run_name: opts.runName,
      start_time: opts.startTime ?? Date.now(),
      tags: toTags(opts.tags),
      user_id: opts.userId,
    });
    return r.run;
  }

  async getRun(runId: string): Promise<Run> {
    return (await this.call("getRun", { run_id: runId })).run;
  }

  async updateRun(runId: string, opts: { status?: RunStatus; endTime?: number; runName?: string }): Promise<void> {
    await this.call("updateRun", {
      run_id: runId,
      status: opts.status,
      end_time: opts.endTime,
      run_name: opts.runName,
    });
  }

  /** Ends a run: FINISHED by default, now by default. */
  async setTerminated(runId: string, status: RunStatus = "FINISHED", endTime = Date.now()): Promise<void> {
    await this.updateRun(runId, { status, endTime });
  }

  async deleteRun(runId: string): Promise<void> {
    await this.call("deleteRun", { run_id: runId });
  }

  async restoreRun(runId: string): Promise<void> {
    await this.call("restoreRun", { run_id: runId });
  }

  async searchRuns(experimentIds: string[], opts: SearchOptions & { runViewType?: ViewType } = {}): Promise<Page<Run>> {
    const r = await this.call("searchRuns", {
      experiment_ids: experimentIds,
      filter: opts.filterString,
      run_view_type: opts.runViewType,
      max_results: opts.maxResults,
      order_by: opts.orderBy,
      page_token: opts.pageToken,
    });
    return { items: r.runs ?? [], nextPageToken: r.next_page_token };
  }

  /** Every matching run, page after page. */
  iterateRuns(
    experimentIds: string[],
    opts: Omit<SearchOptions, "pageToken"> & { runViewType?: ViewType } = {},
  ): AsyncGenerator<Run> {
    return paginate((pageToken) => this.searchRuns(experimentIds, { ...opts, pageToken }));
  }

  async logMetric(
    runId: string,
    key: string,
    value: number,
    opts: { timestamp?: number; step?: number; modelId?: string; datasetName?: string; datasetDigest?: string } = {},
  ): Promise<void> {
    await this.call("logMetric", {
      run_id: runId,
      key,
      value,
      timestamp: opts.timestamp ?? Date.now(),
      step: opts.step ?? 0,
      model_id: opts.modelId,
      dataset_name: opts.datasetName,
      dataset_digest: opts.datasetDigest,
    });
  }

  async logParam(runId: string, key: string, value: unknown): Promise<void> {
    await this.call("logParam", { run_id: runId, key, value: String(value) });
  }

  async setTag(runId: string, key: string, value: unknown): Promise<void> {
    await this.call("setTag", { run_id: runId, key, value: String(value) });
  }

  async deleteTag(runId: string, key: string): Promise<void> {
    await this.call("deleteTag", { run_id: runId, key });
  }

  /** Logs metrics, params and tags, split into as many log-batch calls as MLflow's limits need. */
  async logBatch(
    runId: string,
    batch: {
      metrics?: { key: string; value: number; timestamp: number; step: number }[];
      params?: { key: string; value: string }[];
      tags?: { key: string; value: string }[];
    },
    init: { signal?: AbortSignal } = {},
  ): Promise<void> {
    for (const chunk of chunkBatch(batch)) await this.call("logBatch", { run_id: runId, ...chunk }, undefined, init);
  }

  async logInputs(
    runId: string,
    datasets: RequestOf<"logInputs">["datasets"],
    models?: RequestOf<"logInputs">["models"],
  ): Promise<void> {
    await this.call("logInputs", { run_id: runId, datasets, models });
  }

  async logOutputs(runId: string, models: RequestOf<"logOutputs">["models"]): Promise<void> {
    await this.call("logOutputs", { run_id: runId, models });
  }

  /** Every point of one metric of a run, following get-history's pages. */
  async getMetricHistory(runId: string, key: string): Promise<Metric[]> {
    const out: Metric[] = [];
    for await (const m of this.iterateMetricHistory(runId, key)) out.push(m);
    return out;
  }

  iterateMetricHistory(runId: string, key: string, maxResults?: number): AsyncGenerator<Metric> {
    return paginate(async (pageToken) => {
      const r = await this.call("getMetricHistory", {
        run_id: runId,
        metric_key: key,
        max_results: maxResults,
        page_token: pageToken,
      });
      return { items: r.metrics ?? [], nextPageToken: r.next_page_token };
    });
  }

  /** Up to `maxResults` points per run of one metric, sampled evenly over steps (first and last always kept). */
  async getMetricHistoryBulkInterval(
    runIds: string[],
    key: string,
    opts: { startStep?: number; endStep?: number; maxResults?: number } = {},
  ): Promise<Metric[]> {
    const r = await this.call("getMetricHistoryBulkInterval", {
      run_ids: runIds,
      metric_key: key,
      start_step: opts.startStep,
      end_step: opts.endStep,
      max_results: opts.maxResults,
    });
    return r.metrics ?? [];
  }

  // Artifacts (proxied through the server: `mlflow-artifacts:` locations)

  /** The files and directories directly under `path` of a run's artifacts. */
  async listArtifacts(runId: string, path?: string): Promise<FileInfo[]> {
    const r = await this.transport.json<ListArtifactsResponse>("GET", "/2.0/mlflow/artifacts/list", {
      query: { run_id: runId, path },
    });
    return r.files ?? [];
  }

  /**
   * Uploads one artifact of a run to `artifactPath` (a directory) under the file's own name, or to `artifactFile`
   * exactly. The body is streamed.
   */
  async logArtifact(
    runId: string,
    source: ArtifactSource | string,
    opts: { artifactPath?: string; artifactFile?: string } = {},
  ): Promise<void> {
    const run = await this.getRun(runId);
    await this.putArtifact(run.info.artifact_uri ?? "", source, opts);
  }

  /** Uploads every file below a local directory, keeping its layout, under `artifactPath`. */
  async logArtifacts(runId: string, localDir: string, artifactPath?: string): Promise<void> {
    const run = await this.getRun(runId);
    for (const rel of await listLocalFiles(localDir)) {
      await this.putArtifact(run.info.artifact_uri ?? "", `${localDir.replace(/[/\\]+$/, "")}/${rel}`, {
        artifactFile: joinPath(artifactPath ?? "", rel),
      });
    }
  }

  /** Writes text to an artifact file of a run. */
  async logText(runId: string, text: string, artifactFile: string): Promise<void> {
    await this.logArtifact(runId, { text }, { artifactFile });
  }

  /** Writes an object as JSON to an artifact file of a run (JSON is also valid YAML, so `.yaml` names work too). */
  async logDict(runId: string, value: unknown, artifactFile: string): Promise<void> {
    await this.logText(runId, JSON.stringify(value, null, 2), artifactFile);
  }

  /** Opens one artifact file of a run as a stream. */
  async downloadArtifact(runId: string, path: string): Promise<ReadableStream<Uint8Array>> {
    const run = await this.getRun(runId);
    return this.openArtifact(run.info.artifact_uri ?? "", path);
  }

  /**
   * Downloads an artifact file or directory of a run to a local directory (a new temporary one by default) and
   * returns the local path of what was downloaded. Node, Deno and Bun only.
   */
  async downloadArtifacts(runId: string, path = "", dstPath?: string): Promise<string> {
    const run = await this.getRun(runId);
    const list = (p: string) => this.listArtifacts(runId, p);
    return this.downloadTree(run.info.artifact_uri ?? "", path, dstPath, list);
  }

  // Logged models (MLflow 3)

  async createLoggedModel(
    experimentId: string,
    opts: { name?: string; sourceRunId?: string; params?: Tags; tags?: Tags; modelType?: string } = {},
  ): Promise<LoggedModel> {
    const r = await this.call("createLoggedModel", {
      experiment_id: experimentId,
      name: opts.name,
      source_run_id: opts.sourceRunId,
      model_type: opts.modelType,
      params: toTags(opts.params),
      tags: toTags(opts.tags),
    });
    return r.model;
  }

  async getLoggedModel(modelId: string): Promise<LoggedModel> {
    return (await this.call("getLoggedModel", {}, { model_id: modelId })).model;
  }

  /** Marks a logged model ready (or its upload failed). */
  async finalizeLoggedModel(
    modelId: string,
    status: Extract<LoggedModelStatus, "LOGGED_MODEL_READY" | "LOGGED_MODEL_UPLOAD_FAILED"> = "LOGGED_MODEL_READY",
  ): Promise<LoggedModel> {
    return (await this.call("finalizeLoggedModel", { model_id: modelId, status }, { model_id: modelId })).model;
  }

  async deleteLoggedModel(modelId: string): Promise<void> {
    await this.call("deleteLoggedModel", {}, { model_id: modelId });
  }

  async searchLoggedModels(opts: LoggedModelSearch = {}): Promise<Page<LoggedModel>> {
    const r = await this.call("searchLoggedModels", {
      experiment_ids: opts.experimentIds,
      filter: opts.filterString,
      datasets: opts.datasets,
      max_results: opts.maxResults,
      order_by: opts.orderBy,
      page_token: opts.pageToken,
    });
    return { items: r.models ?? [], nextPageToken: r.next_page_token };
  }

  iterateLoggedModels(opts: Omit<LoggedModelSearch, "pageToken"> = {}): AsyncGenerator<LoggedModel> {
    return paginate((pageToken) => this.searchLoggedModels({ ...opts, pageToken }));
  }

  async setLoggedModelTags(modelId: string, tags: Tags): Promise<void> {
    await this.call("setLoggedModelTags", { tags: toTags(tags) }, { model_id: modelId });
  }

  async deleteLoggedModelTag(modelId: string, key: string): Promise<void> {
    await this.call("deleteLoggedModelTag", {}, { model_id: modelId, tag_key: key });
  }

  async logModelParams(modelId: string, params: Tags): Promise<void> {
    await this.call("logLoggedModelParams", { model_id: modelId, params: toTags(params) }, { model_id: modelId });
  }

  /** Uploads one file to a logged model's artifacts. */
  async logModelArtifact(
    modelId: string,
    source: ArtifactSource | string,
    opts: { artifactPath?: string; artifactFile?: string } = {},
  ): Promise<void> {
    const model = await this.getLoggedModel(modelId);
    await this.putArtifact(model.info.artifact_uri ?? "", source, opts);
  }

  /** The files and directories directly under `path` of a logged model's artifacts. */
  async listLoggedModelArtifacts(modelId: string, path?: string): Promise<FileInfo[]> {
    const r = await this.transport.json<ListArtifactsResponse>(
      "GET",
      `/2.0/mlflow/logged-models/${encodeURIComponent(modelId)}/artifacts/directories`,
      { query: { artifact_directory_path: path } },
    );
    return r.files ?? [];
  }

  /** Opens one artifact file of a logged model as a stream. */
  async downloadLoggedModelArtifact(modelId: string, path: string): Promise<ReadableStream<Uint8Array>> {
    const model = await this.getLoggedModel(modelId);
    return this.openArtifact(model.info.artifact_uri ?? "", path);
  }

  // Model registry

  async createRegisteredModel(
    name: string,
    opts: { tags?: Tags; description?: string } = {},
  ): Promise<RegisteredModel> {
    const r = await this.call("createRegisteredModel", {
      name,
      tags: toTags(opts.tags),
      description: opts.description,
    });
    return r.registered_model;
  }

  async renameRegisteredModel(name: string, newName: string): Promise<RegisteredModel> {
    return (await this.call("renameRegisteredModel", { name, new_name: newName })).registered_model;
  }

  async updateRegisteredModel(name: string, description: string): Promise<RegisteredModel> {
    return (await this.call("updateRegisteredModel", { name, description })).registered_model;
  }

  async deleteRegisteredModel(name: string): Promise<void> {
    await this.call("deleteRegisteredModel", { name });
  }

  async getRegisteredModel(name: string): Promise<RegisteredModel> {
    return (await this.call("getRegisteredModel", { name })).registered_model;
  }

  async searchRegisteredModels(opts: SearchOptions = {}): Promise<Page<RegisteredModel>> {
    const r = await this.call("searchRegisteredModels", {
      filter: opts.filterString,
      max_results: opts.maxResults,
      order_by: opts.orderBy,
      page_token: opts.pageToken,
    });
    return { items: r.registered_models ?? [], nextPageToken: r.next_page_token };
  }

  iterateRegisteredModels(opts: Omit<SearchOptions, "pageToken"> = {}): AsyncGenerator<RegisteredModel> {
    return paginate((pageToken) => this.searchRegisteredModels({ ...opts, pageToken }));
  }

  async getLatestVersions(name: string, stages?: string[]): Promise<ModelVersion[]> {
    return (await this.call("getLatestVersions", { name, stages })).model_versions ?? [];
  }

  async setRegisteredModelTag(name: string, key: string, value: string): Promise<void> {
    await this.call("setRegisteredModelTag", { name, key, value });
  }

  async deleteRegisteredModelTag(name: string, key: string): Promise<void> {
    await this.call("deleteRegisteredModelTag", { name, key });
  }

  async setRegisteredModelAlias(name: string, alias: string, version: string | number): Promise<void> {
    await this.call("setRegisteredModelAlias", { name, alias, version: String(version) });
  }

  async deleteRegisteredModelAlias(name: string, alias: string): Promise<void> {
    await this.call("deleteRegisteredModelAlias", { name, alias });
  }

  async getModelVersionByAlias(name: string, alias: string): Promise<ModelVersion> {
    return (await this.call("getModelVersionByAlias", { name, alias })).model_version;
  }

  async createModelVersion(
    name: string,
    source: string,
    opts: { runId?: string; tags?: Tags; runLink?: string; description?: string; modelId?: string } = {},
  ): Promise<ModelVersion> {
    const r = await this.call("createModelVersion", {
      name,
      source,
      run_id: opts.runId,
      tags: toTags(opts.tags),
      run_link: opts.runLink,
      description: opts.description,
      model_id: opts.modelId,
    });
    return r.model_version;
  }

  async updateModelVersion(name: string, version: string | number, description: string): Promise<ModelVersion> {
    return (await this.call("updateModelVersion", { name, version: String(version), description })).model_version;
  }

  async transitionModelVersionStage(
    name: string,
    version: string | number,
    stage: string,
    archiveExistingVersions = false,
  ): Promise<ModelVersion> {
    const r = await this.call("transitionModelVersionStage", {
      name,
      version: String(version),
      stage,
      archive_existing_versions: archiveExistingVersions,
    });
    return r.model_version;
  }

  async deleteModelVersion(name: string, version: string | number): Promise<void> {
    await this.call("deleteModelVersion", { name, version: String(version) });
  }

  async getModelVersion(name: string, version: string | number): Promise<ModelVersion> {
    return (await this.call("getModelVersion", { name, version: String(version) })).model_version;
  }

  async searchModelVersions(opts: SearchOptions = {}): Promise<Page<ModelVersion>> {
    const r = await this.call("searchModelVersions", {
      filter: opts.filterString,
      max_results: opts.maxResults,
      order_by: opts.orderBy,
      page_token: opts.pageToken,
    });
    return { items: r.model_versions ?? [], nextPageToken: r.next_page_token };
  }

  iterateModelVersions(opts: Omit<SearchOptions, "pageToken"> = {}): AsyncGenerator<ModelVersion> {
    return paginate((pageToken) => this.searchModelVersions({ ...opts, pageToken }));
  }

  async getModelVersionDownloadUri(name: string, version: string | number): Promise<string> {
    return (await this.call("getModelVersionDownloadUri", { name, version: String(version) })).artifact_uri ?? "";
  }

  async setModelVersionTag(name: string, version: string | number, key: string, value: string): Promise<void> {
    await this.call("setModelVersionTag", { name, version: String(version), key, value });
  }

  async deleteModelVersionTag(name: string, version: string | number, key: string): Promise<void> {
    await this.call("deleteModelVersionTag", { name, version: String(version), key });
  }

  // Prompts (MLflow 3 keeps them in the registry, marked by tags)

  /** Registers a new version of a prompt, creating the prompt on first use. */
  async registerPrompt(
    name: string,
    template: string | { role: string; content: string }[],
    opts: { commitMessage?: string; tags?: Tags } = {},
  ): Promise<PromptVersion> {
    try {
      await this.getRegisteredModel(name);
    } catch (e) {
      if (!isMlflowApiError(e, "RESOURCE_DOES_NOT_EXIST")) throw e;
      await this.createRegisteredModel(name, { tags: { [PROMPT_TAGS.isPrompt]: "true" } });
    }
    const text = typeof template === "string" ? template : JSON.stringify(template);
    const mv = await this.createModelVersion(name, PROMPT_SOURCE, {
      description: opts.commitMessage,
      tags: {
        [PROMPT_TAGS.isPrompt]: "true",
        [PROMPT_TAGS.text]: text,
        [PROMPT_TAGS.type]: typeof template === "string" ? "text" : "chat",
        ...opts.tags,
      },
    });
    return toPromptVersion(mv);
  }

  /** Loads `prompts:/name/3`, `prompts:/name@alias`, or a name with a version. */
  async loadPrompt(nameOrUri: string, version?: string | number): Promise<PromptVersion> {
    const ref = parsePromptUri(nameOrUri, version);
    const mv =
      "alias" in ref
        ? await this.getModelVersionByAlias(ref.name, ref.alias)
        : await this.getModelVersion(ref.name, ref.version);
    return toPromptVersion(mv);
  }

  /** Prompts (registered models tagged as prompts), optionally narrowed by a registered-model filter. */
  async searchPrompts(opts: SearchOptions = {}): Promise<Page<RegisteredModel>> {
    const mark = `tags.\`${PROMPT_TAGS.isPrompt}\` = 'true'`;
    const filterString = opts.filterString ? `${opts.filterString} AND ${mark}` : mark;
    return this.searchRegisteredModels({ ...opts, filterString });
  }

  async setPromptAlias(name: string, alias: string, version: string | number): Promise<void> {
    await this.setRegisteredModelAlias(name, alias, version);
  }

  async deletePromptAlias(name: string, alias: string): Promise<void> {
    await this.deleteRegisteredModelAlias(name, alias);
  }

  // Traces (MLflow Tracing, v3 API; tags and deletes under 2.0 as MLflow's Python client sends them)

  /** One page of the trace infos of experiments (no spans), by MLflow's trace filter grammar. */
  async searchTraces(experimentIds: string[], opts: SearchOptions = {}): Promise<Page<TraceInfoV3>> {
    const r = await this.call("searchTracesV3", {
      locations: experimentIds.map((id) => ({ type: "MLFLOW_EXPERIMENT", mlflow_experiment: { experiment_id: id } })),
      filter: opts.filterString,
      max_results: opts.maxResults,
      order_by: opts.orderBy,
      page_token: opts.pageToken,
    });
    return { items: r.traces ?? [], nextPageToken: r.next_page_token };
  }

  /** Every matching trace info, page after page. */
  iterateTraces(experimentIds: string[], opts: Omit<SearchOptions, "pageToken"> = {}): AsyncGenerator<TraceInfoV3> {
    return paginate((pageToken) => this.searchTraces(experimentIds, { ...opts, pageToken }));
  }

  /**
   * A trace with all its spans. Span times come back as exact decimal strings of nanoseconds (see {@link ExactTrace}):
   * the answer's text is parsed here rather than by `JSON.parse` alone, which would round them.
   */
  async getTrace(traceId: string, opts: { allowPartial?: boolean } = {}): Promise<ExactTrace> {
    const res = await this.transport.request("GET", "/3.0/mlflow/traces/get", {
      query: { trace_id: traceId, allow_partial: opts.allowPartial },
    });
    const { trace } = parseExactJson(await res.text()) as { trace: ExactTrace };
    return { ...trace, spans: trace.spans ?? [] };
  }

  /** A trace's info (times, state, tags, metadata, assessments) without its spans. */
  async getTraceInfo(traceId: string): Promise<TraceInfoV3> {
    return (await this.call("getTraceInfoV3", {}, { trace_id: traceId })).trace.trace_info;
  }

  async setTraceTag(traceId: string, key: string, value: string): Promise<void> {
    await this.call("setTraceTag", { key, value }, { trace_id: traceId });
  }

  async deleteTraceTag(traceId: string, key: string): Promise<void> {
    await this.call("deleteTraceTag", { key }, { trace_id: traceId });
  }

  /**
   * Deletes traces of an experiment: those listed (sent 100 ids per call, as MLflow's client does), or the oldest ones
   * up to `maxTraces` older than `maxTimestampMillis`. Resolves to how many were deleted.
   */
  async deleteTraces(
    experimentId: string,
    opts: { maxTimestampMillis?: number; maxTraces?: number; traceIds?: string[] } = {},
  ): Promise<number> {
    const send = async (ids?: string[]) =>
      (
        await this.call("deleteTraces", {
          experiment_id: experimentId,
          max_timestamp_millis: opts.maxTimestampMillis,
          max_traces: opts.maxTraces,
          request_ids: ids,
        })
      ).traces_deleted ?? 0;
    const ids = opts.traceIds;
    if (!ids?.length) return send(ids);
    let deleted = 0;
    for (let i = 0; i < ids.length; i += DELETE_TRACES_BATCH)
      deleted += await send(ids.slice(i, i + DELETE_TRACES_BATCH));
    return deleted;
  }

  // Assessments of traces (MLflow 3)

  /** Logs an assessment as given (its `trace_id` names the trace); `logFeedback` and `logExpectation` build one. */
  async createAssessment(assessment: AssessmentInput): Promise<AssessmentWire> {
    return (await this.call("createAssessment", { assessment }, { trace_id: assessment.trace_id ?? "" })).assessment;
  }

  /** Logs feedback on a trace (or one of its spans): a value, or the error that kept a judge from giving one. */
  async logFeedback(traceId: string, opts: FeedbackOptions = {}): Promise<AssessmentWire> {
    return this.createAssessment(feedbackAssessment(traceId, opts));
  }

  /** Logs an expectation (ground truth) on a trace. */
  async logExpectation(traceId: string, opts: ExpectationOptions): Promise<AssessmentWire> {
    return this.createAssessment(expectationAssessment(traceId, opts));
  }

  async getAssessment(traceId: string, assessmentId: string): Promise<AssessmentWire> {
    return (await this.call("getAssessment", {}, { trace_id: traceId, assessment_id: assessmentId })).assessment;
  }

  /** Changes the given fields of an assessment; the others are kept. */
  async updateAssessment(traceId: string, assessmentId: string, changes: AssessmentChanges): Promise<AssessmentWire> {
    const path = { trace_id: traceId, assessment_id: assessmentId };
    return (await this.call("updateAssessment", assessmentUpdate(traceId, assessmentId, changes), path)).assessment;
  }

  async deleteAssessment(traceId: string, assessmentId: string): Promise<void> {
    await this.call("deleteAssessment", {}, { trace_id: traceId, assessment_id: assessmentId });
  }

  // GenAI evaluation datasets (MLflow 3). Tags and records travel as JSON text; these methods take and give objects.

  async createEvaluationDataset(
    name: string,
    opts: { experimentIds?: string[]; tags?: Record<string, string> } = {},
  ): Promise<EvaluationDataset> {
    const tags = opts.tags ? JSON.stringify(opts.tags) : undefined;
    return (await this.call("createDataset", { name, experiment_ids: opts.experimentIds, tags })).dataset;
  }

  async getEvaluationDataset(datasetId: string): Promise<EvaluationDataset> {
    return (await this.call("getDataset", {}, { dataset_id: datasetId })).dataset;
  }

  async deleteEvaluationDataset(datasetId: string): Promise<void> {
    await this.call("deleteDataset", {}, { dataset_id: datasetId });
  }

  async searchEvaluationDatasets(
    opts: SearchOptions & { experimentIds?: string[] } = {},
  ): Promise<Page<EvaluationDataset>> {
    const r = await this.call("searchEvaluationDatasets", {
      experiment_ids: opts.experimentIds,
      filter_string: opts.filterString,
      order_by: opts.orderBy,
      max_results: opts.maxResults,
      page_token: opts.pageToken,
    });
    return { items: r.datasets ?? [], nextPageToken: r.next_page_token || undefined };
  }

  /** One page of a dataset's records, oldest first. */
  async getDatasetRecords(
    datasetId: string,
    opts: { maxResults?: number; pageToken?: string } = {},
  ): Promise<Page<DatasetRecord>> {
    const r = await this.call(
      "getDatasetRecords",
      { max_results: opts.maxResults, page_token: opts.pageToken },
      { dataset_id: datasetId },
    );
    return { items: parseRecords(r.records), nextPageToken: r.next_page_token || undefined };
  }

  /**
   * Inserts records, or updates those whose inputs match one already there: its outputs are replaced, its
   * expectations and tags merged key by key (as `merge_records` does).
   */
  async upsertDatasetRecords(
    datasetId: string,
    records: DatasetRecordInput[],
  ): Promise<{ inserted: number; updated: number }> {
    const r = await this.call("upsertDatasetRecords", { records: JSON.stringify(records) }, { dataset_id: datasetId });
    return { inserted: r.inserted_count ?? 0, updated: r.updated_count ?? 0 };
  }

  /** Deletes records by id; answers how many were deleted. */
  async deleteDatasetRecords(datasetId: string, recordIds: string[]): Promise<number> {
    const r = await this.call("deleteDatasetRecords", { dataset_record_ids: recordIds }, { dataset_id: datasetId });
    return r.deleted_count ?? 0;
  }

  /** Sets (adds or overwrites) dataset tags; the others stay. */
  async setDatasetTags(datasetId: string, tags: Record<string, string>): Promise<void> {
    await this.call("setDatasetTags", { tags: JSON.stringify(tags) }, { dataset_id: datasetId });
  }

  async deleteDatasetTag(datasetId: string, key: string): Promise<void> {
    await this.call("deleteDatasetTag", {}, { dataset_id: datasetId, key });
  }

  async getDatasetExperimentIds(datasetId: string): Promise<string[]> {
    return (await this.call("getDatasetExperimentIds", {}, { dataset_id: datasetId })).experiment_ids ?? [];
  }

  // Registered scorers and judges (MLflow 3)

  /** Registers a new version of a scorer (its serialized form as the Python client writes it). */
  async registerScorer(experimentId: string, name: string, serializedScorer: string): Promise<number> {
    const r = await this.call("registerScorer", {
      experiment_id: experimentId,
      name,
      serialized_scorer: serializedScorer,
    });
    return r.version;
  }

  /** The latest version of every scorer of the experiment. */
  async listScorers(experimentId: string): Promise<ScorerWire[]> {
    return (await this.call("listScorers", { experiment_id: experimentId })).scorers ?? [];
  }

  async listScorerVersions(experimentId: string, name: string): Promise<ScorerWire[]> {
    return (await this.call("listScorerVersions", { experiment_id: experimentId, name })).scorers ?? [];
  }

  /** One version of a scorer; the latest without `version`. */
  async getScorer(experimentId: string, name: string, version?: number): Promise<ScorerWire> {
    return (await this.call("getScorer", { experiment_id: experimentId, name, version })).scorer;
  }

  /** Deletes one version of a scorer, or every version without `version`. */
  async deleteScorer(experimentId: string, name: string, version?: number): Promise<void> {
    await this.call("deleteScorer", { experiment_id: experimentId, name, version });
  }

  // Label schemas, review queues (labeling sessions) and issues (MLflow 3 human review)

  async createLabelSchema(
    experimentId: string,
    schema: Omit<RequestOf<"createLabelSchema">, "experiment_id">,
  ): Promise<LabelSchema> {
    return (await this.call("createLabelSchema", { experiment_id: experimentId, ...schema })).label_schema;
  }

  async listLabelSchemas(
    experimentId: string,
    opts: { maxResults?: number; pageToken?: string } = {},
  ): Promise<Page<LabelSchema>> {
    const r = await this.call("listLabelSchemas", {
      experiment_id: experimentId,
      max_results: opts.maxResults,
      page_token: opts.pageToken,
    });
    return { items: r.label_schemas ?? [], nextPageToken: r.next_page_token || undefined };
  }

  async createReviewQueue(
    experimentId: string,
    name: string,
    opts: { queueType?: ReviewQueueType; users?: string[]; schemaIds?: string[] } = {},
  ): Promise<ReviewQueue> {
    const r = await this.call("createReviewQueue", {
      experiment_id: experimentId,
      name,
      queue_type: opts.queueType ?? "CUSTOM",
      users: opts.users,
      schema_ids: opts.schemaIds,
    });
    return r.review_queue;
  }

  async getReviewQueue(queueId: string): Promise<ReviewQueue> {
    return (await this.call("getReviewQueue", { queue_id: queueId })).review_queue;
  }

  async listReviewQueues(
    experimentId: string,
    opts: { user?: string; maxResults?: number; pageToken?: string } = {},
  ): Promise<Page<ReviewQueue>> {
    const r = await this.call("listReviewQueues", {
      experiment_id: experimentId,
      user: opts.user,
      max_results: opts.maxResults,
      page_token: opts.pageToken,
    });
    return { items: r.review_queues ?? [], nextPageToken: r.next_page_token || undefined };
  }

  /** Adds traces to a queue (as PENDING items); answers the items. */
  async addItemsToReviewQueue(queueId: string, traceIds: string[]): Promise<ReviewQueueItem[]> {
    const r = await this.call("addItemsToReviewQueue", { queue_id: queueId, item_type: "TRACE", item_ids: traceIds });
    return r.items ?? [];
  }

  async listReviewQueueItems(
    queueId: string,
    opts: { status?: ReviewStatus; maxResults?: number; pageToken?: string } = {},
  ): Promise<Page<ReviewQueueItem>> {
    const r = await this.call("listReviewQueueItems", {
      queue_id: queueId,
      status: opts.status,
      max_results: opts.maxResults,
      page_token: opts.pageToken,
    });
    return { items: r.items ?? [], nextPageToken: r.next_page_token || undefined };
  }

  /** Marks an item; COMPLETE and DECLINED need who did it (`completedBy`). */
  async setReviewQueueItemStatus(
    queueId: string,
    itemId: string,
    status: ReviewStatus,
    completedBy?: string,
  ): Promise<ReviewQueueItem> {
    const r = await this.call("setReviewQueueItemStatus", {
      queue_id: queueId,
      item_id: itemId,
      status,
      completed_by: completedBy,
    });
    return r.item;
  }

  async createIssue(experimentId: string, issue: Omit<RequestOf<"createIssue">, "experiment_id">): Promise<Issue> {
    return (await this.call("createIssue", { experiment_id: experimentId, ...issue })).issue;
  }

  async updateIssue(issueId: string, changes: Omit<RequestOf<"updateIssue">, "issue_id">): Promise<Issue> {
    return (await this.call("updateIssue", { issue_id: issueId, ...changes }, { issue_id: issueId })).issue;
  }

  async searchIssues(
    experimentId: string,
    opts: { filterString?: string; maxResults?: number; pageToken?: string; includeTraceCount?: boolean } = {},
  ): Promise<Page<Issue>> {
    const r = await this.call("searchIssues", {
      experiment_id: experimentId,
      filter_string: opts.filterString,
      max_results: opts.maxResults,
      page_token: opts.pageToken,
      include_trace_count: opts.includeTraceCount,
    });
    return { items: r.issues ?? [], nextPageToken: r.next_page_token || undefined };
  }

  // Webhooks (MLflow 3)

  async createWebhook(opts: {
    name: string;
    url: string;
    events: WebhookEvent[];
    description?: string;
    secret?: string;
    status?: "ACTIVE" | "DISABLED";
  }): Promise<Webhook> {
    return (await this.call("createWebhook", opts)).webhook;
  }

  async listWebhooks(opts: { maxResults?: number; pageToken?: string } = {}): Promise<Page<Webhook>> {
    const r = await this.call("listWebhooks", { max_results: opts.maxResults, page_token: opts.pageToken });
    return { items: r.webhooks ?? [], nextPageToken: r.next_page_token };
  }

  async getWebhook(webhookId: string): Promise<Webhook> {
    return (await this.call("getWebhook", {}, { webhook_id: webhookId })).webhook;
  }

  async updateWebhook(webhookId: string, changes: Omit<RequestOf<"updateWebhook">, "webhook_id">): Promise<Webhook> {
    return (await this.call("updateWebhook", changes, { webhook_id: webhookId })).webhook;
  }

  async deleteWebhook(webhookId: string): Promise<void> {
    await this.call("deleteWebhook", {}, { webhook_id: webhookId });
  }

  async testWebhook(
    webhookId: string,
    event?: RequestOf<"testWebhook">["event"],
  ): Promise<ResponseOf<"testWebhook">["result"]> {
    return (await this.call("testWebhook", { event }, { webhook_id: webhookId })).result;
  }

  // Artifact plumbing shared by runs and logged models

  /** The URL of an artifact file under an `mlflow-artifacts:` location (what a browser can link to). */
  artifactUrl(artifactUri: string, path: string): string {
    return this.transport.url(`/2.0/mlflow-artifacts/artifacts/${encodePath(proxiedArtifactPath(artifactUri, path))}`);
  }

  private async putArtifact(
    artifactUri: string,
    source: ArtifactSource | string,
    opts: { artifactPath?: string; artifactFile?: string },
  ): Promise<void> {
    const src: ArtifactSource = typeof source === "string" ? { path: source } : source;
    const name = opts.artifactFile ?? joinPath(opts.artifactPath ?? "", "path" in src ? baseName(src.path) : "");
    if (!name) throw new TypeError("Give artifactFile (or a file path) to name the artifact.");
    const path = proxiedArtifactPath(artifactUri, name);
    await (
      await this.transport.request("PUT", `/2.0/mlflow-artifacts/artifacts/${encodePath(path)}`, {
        body: bodyFactory(src),
      })
    ).body?.cancel();
  }

  /**
   * GETs one artifact file under an `mlflow-artifacts:` location (a run's or a logged model's `artifact_uri`): the
   * answer's body streams the file and its headers give the length. Errors are MlflowApiErrors, as for every call.
   */
  getArtifact(artifactUri: string, path: string, init: { signal?: AbortSignal } = {}): Promise<Response> {
    const url = `/2.0/mlflow-artifacts/artifacts/${encodePath(proxiedArtifactPath(artifactUri, path))}`;
    return this.transport.request("GET", url, { signal: init.signal });
  }

  private async openArtifact(artifactUri: string, path: string): Promise<ReadableStream<Uint8Array>> {
    const res = await this.getArtifact(artifactUri, path);
    return res.body ?? new ReadableStream({ start: (c) => c.close() });
  }

  private async downloadTree(
    artifactUri: string,
    path: string,
    dstPath: string | undefined,
    list: (p: string) => Promise<FileInfo[]>,
  ): Promise<string> {
    const fsp = await fs();
    const { join } = await import(/* @vite-ignore */ "node:path");
    const { tmpdir } = await import(/* @vite-ignore */ "node:os");
    const root = dstPath ?? (await fsp.mkdtemp(join(tmpdir(), "tracklite-artifacts-")));
    const entries = path ? await list(parentOf(path)) : [];
    const self = entries.find((f) => f.path === path);
    const fetchFile = async (p: string) => {
      const dst = join(root, p);
      await fsp.mkdir(join(dst, ".."), { recursive: true });
      const stream = await this.openArtifact(artifactUri, p);
      const handle = await fsp.open(dst, "w");
      try {
        for await (const chunk of stream as unknown as AsyncIterable<Uint8Array>) await handle.write(chunk);
      } finally {
        await handle.close();
      }
    };
    if (path && self && !self.is_dir) {
      await fetchFile(path);
    } else {
      const walk = async (dir: string): Promise<void> => {
        await fsp.mkdir(join(root, dir), { recursive: true });
        for (const f of await list(dir)) {
          if (f.is_dir) await walk(f.path);
          else await fetchFile(f.path);
        }
      };
      await walk(path);
    }
    return join(root, path);
  }
}

function parentOf(path: string): string {
  const parts = path.split("/");
  parts.pop();
  return parts.join("/");
}
