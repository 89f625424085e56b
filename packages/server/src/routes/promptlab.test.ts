import { readFileSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { useTestApp } from "../testing.test-helpers.js";

const t = useTestApp();

async function call(path: string, body: unknown, prefix = "/ajax-api/2.0") {
  const res = await t.app.request(`http://localhost${prefix}/mlflow${path}`, {
    method: "POST",
    body: typeof body === "string" ? body : JSON.stringify(body),
    headers: { "Content-Type": "application/json" },
  });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : undefined };
}

let exp = "";
beforeAll(async () => {
  exp = (await call("/experiments/create", { name: "promptlab" }, "/api/2.0")).body.experiment_id;
});

const PATH = "/runs/create-promptlab-run";
// Written as text so that 0.5 and 1.0 stay what Python reads (1.0 is a float: its str() is "1.0").
const body = (experimentId: string) =>
  `{"experiment_id": "${experimentId}", "run_name": "pl", "prompt_template": "Hello {{name}}",
    "prompt_parameters": [{"key": "name", "value": "Bob"}], "model_route": "chat",
    "model_parameters": [{"key": "temperature", "value": 0.5}, {"key": "max_tokens", "value": 1.0}],
    "model_input": "Hello Bob", "model_output": "Hi!", "model_output_parameters": [{"key": "latency", "value": 12}],
    "mlflow_version": "3.17.2", "user_id": "me", "start_time": 1700000000000}`;

describe("create-promptlab-run", () => {
  it("creates a finished run with the prompt's params, tags and artifacts", async () => {
    const r = await call(PATH, body(exp));
    expect(r.status).toBe(200);
    const run = r.body.run;
    expect(run.info).toMatchObject({ run_name: "pl", user_id: "me", status: "FINISHED", start_time: 1700000000000 });
    expect(run.data.params).toEqual(
      expect.arrayContaining([
        { key: "temperature", value: "0.5" },
        { key: "max_tokens", value: "1.0" },
        { key: "model_route", value: "chat" },
        { key: "prompt_template", value: "Hello {{name}}" },
      ]),
    );
    const tags = Object.fromEntries(run.data.tags.map((x: { key: string; value: string }) => [x.key, x.value]));
    expect(tags["mlflow.runSourceType"]).toBe("PROMPT_ENGINEERING");
    expect(tags["mlflow.loggedArtifacts"]).toBe('[{"path": "eval_results_table.json", "type": "table"}]');
    const history = JSON.parse(tags["mlflow.log-model.history"]);
    expect(history).toEqual([
      expect.objectContaining({ run_id: run.info.run_id, artifact_path: "model", flavors: {} }),
    ]);

    const root = join(t.dir, "artifacts", exp, run.info.run_id, "artifacts");
    expect(readFileSync(join(root, "eval_results_table.json"), "utf8")).toBe(
      '{"columns": ["name", "prompt", "output", "latency"], "data": [["Bob", "Hello Bob", "Hi!", "12"]]}',
    );
    const mlmodel = readFileSync(join(root, "model", "MLmodel"), "utf8");
    expect(mlmodel).toContain("loader_module: mlflow.prompt.promptlab_model");
    expect(mlmodel).toContain(`run_id: ${run.info.run_id}`);
    expect(readFileSync(join(root, "model", "parameters.yaml"), "utf8")).toBe(
      'model_parameters:\n  "max_tokens": "1.0"\n  "temperature": "0.5"\nmodel_route: "chat"\n' +
        'prompt_parameters:\n  "name": "Bob"\nprompt_template: "Hello {{name}}"\n',
    );
    expect(readFileSync(join(root, "model", "input_example.json"), "utf8")).toBe('{"inputs": ["Bob"]}');
    expect(readFileSync(join(root, "model", "requirements.txt"), "utf8")).toBe("mlflow[gateway]==0.0.0-test");
  });

  it("refuses what the reference refuses, in its order", async () => {
    const base = JSON.parse(body(exp)) as Record<string, unknown>;
    for (const field of ["experiment_id", "prompt_template", "prompt_parameters", "model_route", "model_input"]) {
      const r = await call(PATH, { ...base, [field]: undefined });
      expect(r.body.message).toBe(`CreatePromptlabRun request must specify ${field}.`);
    }
    expect((await call(PATH, { ...base, mlflow_version: "" })).body.message).toBe(
      "CreatePromptlabRun request must specify mlflow_version.",
    );
    expect((await call(PATH, { ...base, experiment_id: "999" })).body.message).toBe("No Experiment with id=999 exists");
    const tags = await call(PATH, { ...base, tags: [{ key: "a", value: "b" }] });
    expect(tags.status).toBe(400);
    expect((await call(PATH, base, "/ajax-api/3.0")).status).toBe(404);
    expect((await call(PATH, base, "/api/2.0")).status).toBe(404);
  });
});
