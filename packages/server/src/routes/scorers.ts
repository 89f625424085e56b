import type { Hono } from "hono";
import { invalidParameter, MlflowError } from "../errors.js";
import { mount } from "../http/mount.js";
import { parseTraceComparisons } from "../search/trace-grammar.js";
import type { Store } from "../store/index.js";
import { scorerToWire } from "../store/scorers.js";
import { pyTypeOf } from "../traces/py-json.js";
import { pyFloatOf, pyReprJson } from "../validation/python-values.js";
import {
  checkScorerModel,
  checkScorerName,
  checkScorerPayload,
  gatewayEndpointOf,
  parseSerializedScorer,
  scorerModel,
} from "../validation/serialized-scorer.js";
import { PyFloat, pyJsonDumps } from "../webhooks/python-json.js";
import { storeIn } from "../workspaces/middleware.js";

/**
 * tracklite serves no AI Gateway endpoints, so no scorer can name a `gateway:/` model; the reference answers an
 * unknown endpoint with this, and tracklite says why there is none.
 */
const gatewayEndpointNotFound = (name: string) =>
  new MlflowError(
    `GatewayEndpoint not found (name=${pyReprJson(name)}). tracklite serves no AI Gateway endpoints, so a scorer ` +
      "cannot use a 'gateway:/' model on this server.",
    "RESOURCE_DOES_NOT_EXIST",
  );

/**
 * Online scoring runs judges in the server's Python job runner over an AI Gateway endpoint; tracklite has neither,
 * so a sample rate above 0 is refused with the reference's own reason and tracklite's.
 */
const noOnlineScoring = (name: string) =>
  invalidParameter(
    `Scorer '${name}' does not use a gateway model. Automatic evaluation is only supported for scorers that use ` +
      "gateway models. tracklite has no AI Gateway and runs no judges, so it cannot score traces online; " +
      "evaluate with mlflow.genai.evaluate() instead.",
  );

const json = (body: unknown) => new Response(pyJsonDumps(body), { headers: { "Content-Type": "application/json" } });

export interface ScorerRouteOptions {
  /** MLFLOW_SERVER_ENABLE_CUSTOM_SCORERS: store `@scorer` functions (tracklite never runs them). */
  allowCustomScorers?: boolean;
}

/** /mlflow/scorers/* (3.0 prefixes only). @see mlflow/server/handlers.py _register_scorer … */
export function scorerRoutes(v3: Hono, store: Store, options: ScorerRouteOptions = {}): void {
  const at = storeIn(store);

  mount(v3, "registerScorer", async (req, c) => {
    const name = req.name ?? "";
    const text = req.serialized_scorer ?? "";
    checkScorerPayload(text, options.allowCustomScorers ?? false);
    checkScorerName(name);
    const s = at(c).scorers;
    await s.activeExperiment(req.experiment_id ?? "");
    const endpoint = gatewayEndpointOf(checkScorerModel(scorerModel(parseSerializedScorer(text))));
    if (endpoint !== undefined) throw gatewayEndpointNotFound(endpoint);
    const v = await s.register(req.experiment_id ?? "", name, text);
    return {
      version: v.scorerVersion,
      scorer_id: v.scorerId,
      experiment_id: String(v.experimentId),
      name: v.scorerName,
      serialized_scorer: v.serializedScorer,
      creation_time: v.creationTime,
    };
  });

  mount(v3, "listScorers", async (req, c) => {
    const s = at(c).scorers;
    const hasIds = req.experiment_ids !== undefined;
    if (req.experiment_id && hasIds)
      throw invalidParameter(
        "Cannot specify both 'experiment_id' and 'experiment_ids'. Use 'experiment_ids' to scope the query to " +
          "multiple experiments, or 'experiment_id' to scope it to a single experiment.",
      );
    const rows = hasIds
      ? await s.listAcross(req.experiment_ids)
      : req.experiment_id
        ? await s.list(req.experiment_id)
        : await s.listAcross(undefined);
    return rows.length === 0 ? {} : { scorers: rows.map((v) => scorerToWire(v, true)) };
  });

  mount(v3, "listScorerVersions", async (req, c) => {
    const rows = await at(c).scorers.versions(req.experiment_id ?? "", req.name ?? "");
    return { scorers: rows.map((v) => scorerToWire(v, true)) };
  });

  mount(v3, "getScorer", async (req, c) => ({
    scorer: scorerToWire(await at(c).scorers.get(req.experiment_id ?? "", req.name ?? "", req.version), false),
  }));

  mount(v3, "deleteScorer", async (req, c) => {
    await at(c).scorers.delete(req.experiment_id ?? "", req.name ?? "", req.version);
    return {};
  });

  mount(v3, "getOnlineScoringConfigs", async (req, c) => {
    const configs = await at(c).onlineScoringConfigs.forScorers(req.scorer_ids ?? []);
    return json({ configs: configs.map((cfg) => ({ ...cfg, sample_rate: new PyFloat(cfg.sample_rate) })) });
  });

  mount(v3, "upsertOnlineScoringConfig", async (req, c) => {
    const filter = req.filter_string;
    if (filter !== undefined && typeof filter !== "string")
      throw invalidParameter(
        `Invalid value ${pyReprJson(filter)} for parameter 'filter_string' supplied: ` +
          `Value was of type '${pyTypeOf(filter as never)}'. Expected type 'str' or None.`,
      );
    const rate = pyFloatOf(req.sample_rate);
    if (!(rate >= 0 && rate <= 1))
      throw invalidParameter(`sample_rate must be between 0.0 and 1.0, got ${pyReprJson(new PyFloat(rate))}`);
    if (filter) parseTraceComparisons(filter);
    const name = req.name ?? "";
    const view = at(c);
    const { experiment, scorerId, latest } = await view.scorers.latestForConfig(req.experiment_id ?? "", name);
    if (latest !== undefined && rate > 0) {
      // The reference reads the model first: a payload it cannot read fails the same way here.
      scorerModel(parseSerializedScorer(latest));
      throw noOnlineScoring(name);
    }
    const config = await view.onlineScoringConfigs.replace(scorerId, experiment, rate, filter);
    return json({ config: { ...config, sample_rate: new PyFloat(config.sample_rate) } });
  });
}
