import { pyJsonDumps } from "../webhooks/python-json.js";

/**
 * The files the reference writes for a prompt lab run: the evaluation table and a `model/` folder holding an MLflow
 * model of the prompt (pyfunc flavor `mlflow.prompt.promptlab_model`). YAML scalars that come from the request are
 * written double-quoted (JSON text, which YAML reads the same), so every value reads back as the reference's does.
 * @see mlflow/utils/promptlab_utils.py _create_promptlab_run_impl, mlflow/prompt/promptlab_model.py save_model
 */

/** A param of the request, its value already as Python's `str()` gives it. */
export interface PromptlabParam {
  key: string;
  value: string;
}

/**
 * The server's Python environment the model records. tracklite has no Python, so these are the values of the Python
 * MLflow 3.17.2's reference server runs on (see KNOWN_DIFFERENCES.md `promptlab-environment`).
 */
const PYTHON_VERSION = "3.11.7";
const PIP_VERSION = "23.2.1";
const SETUPTOOLS_VERSION = "65.5.0";

/** A double-quoted YAML scalar, ASCII only as PyYAML writes it (`\u00e9`; JSON's escapes are YAML's too). */
const q = (s: string) =>
  JSON.stringify(s).replace(/[\u007f-\u{10ffff}]/gu, (c) => {
    const cp = c.codePointAt(0) ?? 0;
    return cp > 0xffff ? `\\U${cp.toString(16).padStart(8, "0")}` : `\\u${cp.toString(16).padStart(4, "0")}`;
  });

/** `{k: v}` of the params as a YAML mapping nested at `indent`, keys sorted as `yaml.safe_dump` sorts them. */
function yamlMap(params: readonly PromptlabParam[], indent: string): string {
  const last = new Map<string, string>();
  for (const p of params) last.set(p.key, p.value);
  if (last.size === 0) return " {}\n";
  return `\n${[...last]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([k, v]) => `${indent}${q(k)}: ${q(v)}\n`)
    .join("")}`;
}

/** `json.dumps` of a signature's column specs: every column a required string. */
const colSpecs = (names: readonly string[]) =>
  pyJsonDumps(names.map((name) => ({ type: "string", name, required: true })));

export interface PromptlabModelArgs {
  runId: string;
  modelUuid: string;
  utcTimeCreated: string;
  mlflowVersion: string;
  promptTemplate: string;
  promptParameters: readonly PromptlabParam[];
  modelParameters: readonly PromptlabParam[];
  modelRoute: string;
  modelInput: string;
  modelOutput: string | undefined;
  modelOutputParameters: readonly PromptlabParam[];
}

/** The evaluation table, as `create_eval_results_json` writes it. */
export function evalResultsJson(a: PromptlabModelArgs): string {
  const columns = [...a.promptParameters.map((p) => p.key), "prompt", "output"];
  const data: (string | null)[] = [...a.promptParameters.map((p) => p.value), a.modelInput, a.modelOutput ?? null];
  columns.push(...a.modelOutputParameters.map((p) => p.key));
  data.push(...a.modelOutputParameters.map((p) => p.value));
  return pyJsonDumps({ columns, data: [data] });
}

/** Every file of the run's artifacts, by path below the run's artifact root. */
export function promptlabFiles(a: PromptlabModelArgs): Record<string, string> {
  const inputs = a.promptParameters.map((p) => p.value);
  const mlmodel =
    "artifact_path: model\n" +
    "flavors:\n" +
    "  python_function:\n" +
    "    env:\n" +
    "      conda: conda.yaml\n" +
    "      virtualenv: python_env.yaml\n" +
    "    loader_module: mlflow.prompt.promptlab_model\n" +
    "    parameters_path: parameters.yaml\n" +
    `    python_version: ${PYTHON_VERSION}\n` +
    "is_signature_from_type_hint: false\n" +
    `mlflow_version: ${a.mlflowVersion}\n` +
    "model_id: null\n" +
    `model_uuid: ${a.modelUuid}\n` +
    "prompts: null\n" +
    `run_id: ${a.runId}\n` +
    "saved_input_example_info:\n" +
    "  artifact_path: input_example.json\n" +
    "  serving_input_path: serving_input_example.json\n" +
    "  type: json_object\n" +
    "signature:\n" +
    `  inputs: ${q(colSpecs(a.promptParameters.map((p) => p.key)))}\n` +
    `  outputs: ${q(colSpecs(["output"]))}\n` +
    "  params: null\n" +
    "type_hint_from_example: false\n" +
    `utc_time_created: '${a.utcTimeCreated}'\n`;
  const requirement = `mlflow[gateway]==${a.mlflowVersion}`;
  return {
    "eval_results_table.json": evalResultsJson(a),
    "model/MLmodel": mlmodel,
    "model/conda.yaml":
      "channels:\n- conda-forge\ndependencies:\n" +
      `- python=${PYTHON_VERSION}\n- pip<=${PIP_VERSION}\n- pip:\n  - ${requirement}\nname: mlflow-env\n`,
    "model/python_env.yaml":
      `python: ${PYTHON_VERSION}\nbuild_dependencies:\n- pip==${PIP_VERSION}\n- setuptools==${SETUPTOOLS_VERSION}\n` +
      "- wheel\ndependencies:\n- -r requirements.txt\n",
    "model/requirements.txt": requirement,
    "model/input_example.json": pyJsonDumps({ inputs }),
    "model/serving_input_example.json": JSON.stringify({ inputs: { inputs } }, null, 2).replace(
      /[\u0080-\uffff]/g,
      (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`,
    ),
    "model/parameters.yaml":
      `model_parameters:${yamlMap(a.modelParameters, "  ")}` +
      `model_route: ${q(a.modelRoute)}\n` +
      `prompt_parameters:${yamlMap(a.promptParameters, "  ")}` +
      `prompt_template: ${q(a.promptTemplate)}\n`,
  };
}
