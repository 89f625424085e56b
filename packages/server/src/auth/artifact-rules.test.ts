import { beforeAll, describe, expect, it } from "vitest";
import { basic, useAuthApp } from "./auth.test-helpers.js";

/** The permission checks of the presigned-URL routes: READ on the run to download, UPDATE to upload. */
const t = useAuthApp();
type Who = { username: string; password: string };
let alice: Who;
let mallory: Who;
let run: string;
let exp: string;

beforeAll(async () => {
  alice = await t.addUser("alice");
  mallory = await t.addUser("mallory");
  exp = (await t.call(alice, "POST", "/experiments/create", { name: "presign" })).body.experiment_id;
  run = (await t.call(alice, "POST", "/runs/create", { experiment_id: exp })).body.run.info.run_id;
});

const post = (who: Who, path: string, body: unknown) =>
  t.app.request(`/api/2.0/mlflow/artifacts/${path}`, {
    method: "POST",
    body: JSON.stringify(body),
    headers: { Authorization: basic(who.username, who.password), "Content-Type": "application/json" },
  });

describe("presigned-URL permissions", () => {
  it("a reader may ask for a download URL but not an upload URL", async () => {
    // Past the check, the handler refuses a proxied run's location (400), which shows the check let it through.
    expect((await post(mallory, "presigned-download-url", { run_id: run, path: "x" })).status).toBe(400);
    expect((await post(mallory, "presigned-upload-url", { run_id: run, path: "x" })).status).toBe(403);
    expect((await post(alice, "presigned-upload-url", { run_id: run, path: "x" })).status).toBe(400);
  });

  it("answers naming both a run and a model with the handler's 400 before judging either", async () => {
    const r = await post(mallory, "presigned-upload-url", { run_id: run, model_id: "m-1", path: "x" });
    expect(r.status).toBe(400);
    expect((await r.json()).message).toBe("Exactly one of run_id and model_id must be provided.");
  });

  it("judges the proxy's presigned download by the experiment in its path", async () => {
    const path = `/api/2.0/mlflow-artifacts/presigned/${exp}/${run}/artifacts/x`;
    const ok = await t.app.request(path, { headers: { Authorization: basic(mallory.username, mallory.password) } });
    expect(ok.status).toBe(501); // a local destination cannot presign: past the check
    const anonymous = await t.app.request(path);
    expect(anonymous.status).toBe(401);
  });
});
