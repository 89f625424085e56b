import { existsSync, mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { useTestApp } from "../testing.test-helpers.js";

/** A run whose experiment keeps artifacts in a local folder (`--default-artifact-root /path`) gets them there. */
const root = mkdtempSync(join(tmpdir(), "tracklite-promptlab-root-"));
const t = useTestApp({ defaultArtifactRoot: root });

describe("create-promptlab-run with a local artifact root", () => {
  it("writes the artifacts into the run's own folder and finishes the run", async () => {
    const post = async (path: string, body: unknown) => {
      const res = await t.app.request(`http://localhost${path}`, {
        method: "POST",
        body: JSON.stringify(body),
        headers: { "Content-Type": "application/json" },
      });
      return res.json();
    };
    const exp = (await post("/api/2.0/mlflow/experiments/create", { name: "local" })).experiment_id;
    const { run } = await post("/ajax-api/2.0/mlflow/runs/create-promptlab-run", {
      experiment_id: exp,
      prompt_template: "Hi {{x}}",
      prompt_parameters: [{ key: "x", value: "y" }],
      model_route: "r",
      model_input: "Hi y",
      mlflow_version: "3.17.2",
    });
    expect(run.info.status).toBe("FINISHED");
    expect(run.info.artifact_uri.startsWith(root)).toBe(true);
    const dir = run.info.artifact_uri;
    expect(JSON.parse(readFileSync(join(dir, "eval_results_table.json"), "utf8"))).toEqual({
      columns: ["x", "prompt", "output"],
      data: [["y", "Hi y", null]],
    });
    expect(existsSync(join(dir, "model", "MLmodel"))).toBe(true);
  });
});
