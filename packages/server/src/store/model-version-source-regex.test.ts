import { describe, expect, it } from "vitest";
import { type TestApp, useTestApp } from "../testing.test-helpers.js";
import { pythonRegex } from "../validation/python-regex.js";

async function runRoot(t: TestApp): Promise<{ runId: string; root: string }> {
  const run = (await t.call("POST", "/runs/create", { experiment_id: "0", start_time: 1 })).body.run;
  return { runId: run.info.run_id as string, root: run.info.artifact_uri as string };
}

describe("MLFLOW_CREATE_MODEL_VERSION_SOURCE_VALIDATION_REGEX", () => {
  const t = useTestApp({ modelVersionSourceRegex: pythonRegex("^mlflow-artifacts:/.*$") });

  it("refuses a source the pattern does not match, before any other check, with the reference's message", async () => {
    await t.call("POST", "/registered-models/create", { name: "rx" });
    const bad = await t.call("POST", "/model-versions/create", { name: "rx", source: "s3://path/to/model" });
    expect(bad.status).toBe(400);
    expect(bad.body).toMatchObject({
      error_code: "INVALID_PARAMETER_VALUE",
      message: "Invalid model version source: 's3://path/to/model'.",
    });
    const { runId, root } = await runRoot(t);
    expect(root.startsWith("mlflow-artifacts:/")).toBe(true);
    const ok = await t.call("POST", "/model-versions/create", { name: "rx", source: `${root}/model`, run_id: runId });
    expect(ok.status).toBe(200);
  });
});

describe("a file: source on another host", () => {
  const t = useTestApp();

  it("gets the reference's 'not a valid remote uri' message (as 400 INVALID_PARAMETER_VALUE)", async () => {
    await t.call("POST", "/registered-models/create", { name: "fh" });
    const { runId } = await runRoot(t);
    const r = await t.call("POST", "/model-versions/create", {
      name: "fh",
      source: "file://123.456.789.123/path/to/source",
      run_id: runId,
    });
    expect(r.status).toBe(400);
    expect(r.body.error_code).toBe("INVALID_PARAMETER_VALUE");
    expect(r.body.message).toBe(
      "file://123.456.789.123/path/to/source is not a valid remote uri. For remote access on windows, please consider using a different scheme such as SMB (e.g. smb://<hostname>/<path>).",
    );
  });
});
