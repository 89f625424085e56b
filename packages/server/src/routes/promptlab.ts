import { Hono } from "hono";
import type { ArtifactStore } from "../artifacts/store.js";
import { clientCrash, invalidParameter } from "../errors.js";
import { readBodyText } from "../http/json-body.js";
import { mount } from "../http/mount.js";
import { logError } from "../log.js";
import type { Store } from "../store/index.js";
import { archiveOpener } from "../traces/archival.js";
import { PyFloat, type PyJson, pyJsonLoads } from "../traces/py-json.js";
import { pyReprJson } from "../validation/python-values.js";
import { pyJsonDumps } from "../webhooks/python-json.js";
import { workspaceArtifactPath } from "../workspaces/artifact-path.js";
import { storeIn } from "../workspaces/middleware.js";
import { proxiedRoot } from "./artifacts.js";
import { type PromptlabParam, promptlabFiles } from "./promptlab-model.js";

/**
 * `POST /ajax-api/2.0/mlflow/runs/create-promptlab-run`: the UI's prompt engineering page saves one evaluated prompt
 * as a finished run, with the prompt's params and tags, its evaluation table and an MLflow model of the prompt.
 * @see mlflow/server/handlers.py create_promptlab_run_handler, mlflow/utils/promptlab_utils.py
 */

type Body = Record<string, PyJson>;

/** Opens a run's own artifact root (a folder, `file:` or `s3:` URI) as the trace archiver opens its location. */
const openArtifactRoot = archiveOpener();

/** Python's `str(value)` of a JSON value. */
function pyStrOf(v: PyJson | undefined): string {
  if (typeof v === "string") return v;
  if (v === undefined) return "None";
  return pyReprJson(v);
}

/** Python's truthiness, for the handler's `if not arg` checks. */
function truthy(v: PyJson | undefined): boolean {
  if (v === undefined || v === null || v === false || v === 0 || v === "") return false;
  if (v instanceof PyFloat) return v.value !== 0;
  if (Array.isArray(v)) return v.length > 0;
  if (typeof v === "object") return Object.keys(v).length > 0;
  return true;
}

/** `[Param(p.get("key"), p.get("value")) for p in …]` (a non-dict item crashes the reference: refused here). */
function paramsOf(v: PyJson | undefined): PromptlabParam[] {
  if (v === undefined || v === null) return [];
  if (!Array.isArray(v)) throw clientCrash(`'${typeof v === "string" ? "str" : "int"}' object is not iterable`);
  return v.map((p) => {
    if (p === null || typeof p !== "object" || Array.isArray(p) || p instanceof PyFloat)
      throw clientCrash(
        `'${Array.isArray(p) ? "list" : typeof p === "string" ? "str" : "int"}' object has no attribute 'get'`,
      );
    const { key, value } = p as Body;
    if (typeof key !== "string") throw invalidParameter("Missing value for required parameter 'key'.");
    return { key, value: pyStrOf(value ?? null) };
  });
}

function required(body: Body, name: string): PyJson {
  const v = body[name];
  if (!truthy(v)) throw invalidParameter(`CreatePromptlabRun request must specify ${name}.`);
  return v as PyJson;
}

/** Python's `datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M:%S.%f")`. */
const utcNow = () => `${new Date().toISOString().slice(0, 23).replace("T", " ")}000`;

export function promptlabRoutes(app: Hono, store: Store, artifacts: ArtifactStore, mlflowVersion: string): void {
  const at = storeIn(store);
  const ajax2 = new Hono();

  mount(ajax2, "createPromptlabRun", async (_req, c) => {
    // Read again with Python's number types, so that a value's `str()` is Python's (`1.0`, not `1`).
    const text = await readBodyText(c);
    let parsed: PyJson;
    try {
      parsed = pyJsonLoads(text);
    } catch {
      parsed = {};
    }
    const body: Body =
      parsed && typeof parsed === "object" && !Array.isArray(parsed) && !(parsed instanceof PyFloat)
        ? (parsed as Body)
        : {};
    const experimentId = required(body, "experiment_id");
    const runName = body.run_name;
    const tags = body.tags;
    const promptTemplate = pyStrOf(required(body, "prompt_template"));
    required(body, "prompt_parameters");
    const promptParameters = paramsOf(body.prompt_parameters);
    const modelRoute = pyStrOf(required(body, "model_route"));
    const modelParameters = paramsOf(body.model_parameters);
    const modelInput = pyStrOf(required(body, "model_input"));
    const modelOutput =
      body.model_output === undefined || body.model_output === null ? undefined : pyStrOf(body.model_output);
    const modelOutputParameters = paramsOf(body.model_output_parameters);
    required(body, "mlflow_version");
    // The reference hands the request's tags (JSON objects) to its store as RunTag entities and crashes on them.
    if (Array.isArray(tags) && tags.length > 0) throw clientCrash("'dict' object has no attribute 'key'");
    const userId = body.user_id === undefined ? "unknown" : pyStrOf(body.user_id);
    const start = body.start_time;
    const startTime =
      typeof start === "number" ? start : start instanceof PyFloat ? Math.trunc(start.value) : Date.now();

    const view = at(c);
    const run = await view.runs.create({
      experimentId: String(experimentId),
      userId,
      startTime,
      tags: [],
      runName: typeof runName === "string" ? runName : undefined,
    });
    const runId = run.info.run_id;
    let status: "FINISHED" | "FAILED" = "FINISHED";
    try {
      await view.logging.logBatch(runId, {
        params: [
          ...modelParameters,
          { key: "model_route", value: modelRoute },
          { key: "prompt_template", value: promptTemplate },
        ],
        tags: [
          { key: "mlflow.loggedArtifacts", value: '[{"path": "eval_results_table.json", "type": "table"}]' },
          { key: "mlflow.runSourceType", value: "PROMPT_ENGINEERING" },
        ],
      });
      const utcTimeCreated = utcNow();
      const modelUuid = crypto.randomUUID().replaceAll("-", "");
      // record_logged_model: the history tag as the reference's json.dumps writes it.
      const history = [
        { run_id: runId, artifact_path: "model", utc_time_created: utcTimeCreated, model_uuid: modelUuid, flavors: {} },
      ];
      await view.logging.logBatch(runId, { tags: [{ key: "mlflow.log-model.history", value: pyJsonDumps(history) }] });
      const files = promptlabFiles({
        runId,
        modelUuid,
        utcTimeCreated,
        mlflowVersion,
        promptTemplate,
        promptParameters,
        modelParameters,
        modelRoute,
        modelInput,
        modelOutput,
        modelOutputParameters,
      });
      // The run's artifact root: proxied (`mlflow-artifacts:`) in tracklite's artifact store; a local folder or an
      // `s3://` root written directly, as the reference's artifact repository does.
      const uri = run.info.artifact_uri ?? "";
      const proxied = /^(mlflow-artifacts:|https?:)/.test(uri);
      const target = proxied ? artifacts : await openArtifactRoot(uri);
      const root = proxied
        ? workspaceArtifactPath(store.workspacesEnabled ? c.get("workspace") : undefined, proxiedRoot(uri))
        : "";
      for (const [path, content] of Object.entries(files)) {
        const body = new Response(content).body as ReadableStream<Uint8Array>;
        await target.put(root ? `${root}/${path}` : path, body);
      }
    } catch (err) {
      // As in the reference: whatever fails after the run exists leaves it FAILED rather than failing the call.
      logError(err);
      status = "FAILED";
    }
    await view.runs.update(runId, status, Date.now(), typeof runName === "string" ? runName : undefined);
    return { run: await view.runs.get(runId) };
  });

  app.route("/ajax-api/2.0", ajax2);
}
