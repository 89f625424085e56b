import type { Experiment } from "@tracklite/schemas";
import { type GraphqlInput, mayCall, readableVersions, withholdRunModelLinks } from "../auth/graphql-rules.js";
import { invalidParameter } from "../errors.js";
import { checkBulkArgs } from "../store/metrics.js";
import type { GraphqlContext } from "./context.js";

type Row = Record<string, unknown>;
type Resolver = (source: unknown, args: Row, ctx: GraphqlContext) => unknown;
/** A top-level call: its `input` argument (null when left out) → an MLflow response message. */
type Call = (input: Row, ctx: GraphqlContext) => Promise<Row>;

const str = (v: unknown): string | undefined => (typeof v === "string" ? v : undefined);
const strings = (v: unknown): string[] => (Array.isArray(v) ? v.filter((s): s is string => typeof s === "string") : []);
const num = (v: unknown): number | undefined => (typeof v === "number" ? v : undefined);

/** A page of results as the reference's message holds it: the token only when there is a next page. */
const page = (field: string, rows: unknown[], token: string | undefined): Row => ({
  [field]: rows,
  ...(token ? { next_page_token: token } : {}),
});

/** An integer of the URL's query string, read as Python's int() reads it. */
function urlInt(query: URLSearchParams, name: string): number | undefined {
  const raw = query.get(name);
  if (raw === null) return undefined;
  if (!/^\s*[+-]?\d+\s*$/.test(raw)) throw invalidParameter(`invalid literal for int() with base 10: '${raw}'`);
  return Number.parseInt(raw, 10);
}

/** An experiment, read once per request. */
function experimentOf(ctx: GraphqlContext, id: string): Promise<Experiment> {
  let found = ctx.experiments.get(id);
  if (!found) {
    found = ctx.store.experiments.get(id);
    ctx.experiments.set(id, found);
  }
  return found;
}

/**
 * The calls, each as the reference's `*_impl` handler makes it: the store is asked directly, without the REST
 * handler's parameter checks, so a missing id is "not found" rather than "missing".
 * @see mlflow/server/handlers.py get_experiment_impl … search_datasets_impl
 */
const CALLS = {
  mlflowGetExperiment: async (input, ctx) => ({ experiment: await experimentOf(ctx, str(input.experimentId) ?? "") }),

  mlflowGetRun: async (input, ctx) => {
    const run = (await ctx.store.runs.get(str(input.runId) || str(input.runUuid) || "")) as unknown as Row;
    if (ctx.check) withholdRunModelLinks([run], ctx.check);
    return { run };
  },

  mlflowSearchRuns: async (input, ctx) => {
    const { runs, nextPageToken } = await ctx.store.searchRuns({
      experimentIds: strings(input.experimentIds),
      filter: str(input.filter),
      orderBy: strings(input.orderBy),
      viewType: str(input.runViewType) as "ACTIVE_ONLY" | "DELETED_ONLY" | "ALL" | undefined,
      maxResults: num(input.maxResults),
      pageToken: str(input.pageToken) || undefined,
    });
    const rows = runs as unknown as Row[];
    if (ctx.check) withholdRunModelLinks(rows, ctx.check);
    return page("runs", rows, nextPageToken);
  },

  // The reference reads the limits of this call from the URL's query string, not from the input's fields (which it
  // leaves unused): a POST to /graphql has none, so every run gets up to 2500 points over all its steps.
  mlflowGetMetricHistoryBulkInterval: async (input, ctx) => {
    const runIds = strings(input.runIds);
    const start = urlInt(ctx.urlQuery, "start_step");
    const end = urlInt(ctx.urlQuery, "end_step");
    const max = checkBulkArgs(runIds, urlInt(ctx.urlQuery, "max_results"), start, end);
    const pieces: string[] = [];
    for await (const piece of ctx.store.metrics.historySampled(runIds, str(input.metricKey) ?? "", start, end, max))
      pieces.push(typeof piece === "string" ? piece : new TextDecoder().decode(piece));
    return { metrics: JSON.parse(`[${pieces.join(",")}]`) as Row[] };
  },

  // The listing is the REST route's, whichever artifact store serves the run; the run is read first so that a
  // missing one is "not found", as in the reference.
  mlflowListArtifacts: async (input, ctx) => {
    const runId = str(input.runId) || str(input.runUuid) || "";
    await ctx.store.runs.get(runId);
    const query = new URLSearchParams({ run_id: runId });
    const path = str(input.path);
    if (path !== undefined) query.set("path", path);
    const token = str(input.pageToken);
    if (token) query.set("page_token", token);
    return ctx.rest(`/api/2.0/mlflow/artifacts/list?${query}`);
  },

  mlflowSearchModelVersions: async (input, ctx) => {
    const maxResults =
      input.maxResults === null || input.maxResults === undefined ? undefined : Number(input.maxResults);
    const { versions, nextPageToken } = await ctx.store.modelVersions.search({
      filter: str(input.filter),
      maxResults,
      orderBy: strings(input.orderBy),
      pageToken: str(input.pageToken) || undefined,
    });
    const rows = versions as unknown as Row[];
    return page("model_versions", ctx.check ? await readableVersions(rows, ctx.check) : rows, nextPageToken);
  },

  // The REST route's, with its checks (one to 20 experiments) and its answer.
  mlflowSearchDatasets: async (input, ctx) =>
    ctx.rest("/ajax-api/2.0/mlflow/experiments/search-datasets", { experiment_ids: strings(input.experimentIds) }),
} satisfies Record<string, Call>;

/** A top-level call, checked first against the user's permissions: a refused one is null, as in the reference. */
const call =
  (name: keyof typeof CALLS): Resolver =>
  async (_source, args, ctx) => {
    const input = (args.input ?? null) as Row | null;
    if (ctx.check && !(await mayCall(name, input as GraphqlInput | null, ctx.check))) return null;
    return CALLS[name](input ?? {}, ctx);
  };

/** The resolvers, by type and field; every other field reads its message field (see proto-fields.ts). */
export const RESOLVERS: Record<string, Record<string, Resolver>> = {
  Query: {
    mlflowGetExperiment: call("mlflowGetExperiment"),
    mlflowGetMetricHistoryBulkInterval: call("mlflowGetMetricHistoryBulkInterval"),
    mlflowGetRun: call("mlflowGetRun"),
    mlflowListArtifacts: call("mlflowListArtifacts"),
    mlflowSearchModelVersions: call("mlflowSearchModelVersions"),
    mlflowSearchRuns: call("mlflowSearchRuns"),
    test: (_source, args) => ({ output: args.inputString ?? null }),
  },
  Mutation: {
    mlflowSearchDatasets: call("mlflowSearchDatasets"),
    mlflowSearchRuns: call("mlflowSearchRuns"),
    // The reference declares this field but its resolver is never found (graphene looks for `resolve_testMutation`).
    testMutation: () => null,
  },
  MlflowRunExtension: {
    experiment: (run, _args, ctx) => experimentOf(ctx, String(((run as Row).info as Row).experiment_id)),
    // Like REST's model-version search: only the versions the user may read. @see PROTECTED_NESTED_FIELDS
    modelVersions: async (run, _args, ctx) => {
      const runId = String(((run as Row).info as Row).run_id);
      const { versions } = await ctx.store.modelVersions.search({ filter: `run_id='${runId}'` });
      const rows = versions as unknown as Row[];
      return ctx.check ? readableVersions(rows, ctx.check) : rows;
    },
  },
};
