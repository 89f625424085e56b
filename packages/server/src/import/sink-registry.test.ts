import type { LoggedModel, ModelVersion, RegisteredModel, Webhook } from "@tracklite/schemas";
import { afterAll, describe, expect, it } from "vitest";
import { useTestApp } from "../testing.test-helpers.js";
import type { ImportRegisteredModel } from "./model.js";
import { createImportSink } from "./sink.js";
import { batches, openTargetApp, type TargetApp, tempTarget } from "./sink.test-helpers.js";

/**
 * Round trips through REST: entities made on one tracklite (the source, through its routes), read as its REST
 * answers them (what a source yields), imported into a fresh database, and read back from it: the answers must match.
 */
const source = useTestApp();
const target = tempTarget();
let app: TargetApp;
afterAll(() => {
  app?.close();
  target.remove();
});

const ok = async (p: Promise<{ status: number; body: any }>) => {
  const r = await p;
  expect(r.status, JSON.stringify(r.body)).toBe(200);
  return r.body;
};

interface Seeded {
  runId: string;
  model: LoggedModel;
  registered: ImportRegisteredModel[];
  webhooks: Webhook[];
}

async function seed(): Promise<Seeded> {
  const s = source;
  const run = (await ok(s.call("POST", "/runs/create", { experiment_id: "0", start_time: 5 }))).run;
  const runId = run.info.run_id as string;
  const created = await ok(
    s.call("POST", "/logged-models", {
      experiment_id: "0",
      name: "clf",
      source_run_id: runId,
      params: [{ key: "depth", value: "3" }],
      tags: [{ key: "t", value: "1" }],
    }),
  );
  const modelId = created.model.info.model_id as string;
  await ok(
    s.call("POST", "/runs/log-batch", {
      run_id: runId,
      metrics: [
        { key: "acc", value: 0.9, timestamp: 10, step: 1, model_id: modelId },
        { key: "acc", value: "NaN", timestamp: 11, step: 2, model_id: modelId },
      ],
    }),
  );
  await ok(s.call("PATCH", `/logged-models/${modelId}`, { model_id: modelId, status: "LOGGED_MODEL_READY" }));

  await ok(
    s.call("POST", "/registered-models/create", { name: "m", description: "d", tags: [{ key: "k", value: "v" }] }),
  );
  for (let i = 0; i < 3; i++) {
    await ok(
      s.call("POST", "/model-versions/create", {
        name: "m",
        source: `models:/${modelId}`,
        run_id: runId,
        model_id: modelId,
        description: `v${i + 1}`,
        tags: [{ key: "n", value: String(i) }],
      }),
    );
  }
  await ok(s.call("POST", "/model-versions/transition-stage", { name: "m", version: "2", stage: "Production" }));
  await ok(s.call("POST", "/registered-models/alias", { name: "m", alias: "champion", version: "2" }));
  await ok(s.call("DELETE", "/model-versions/delete", { name: "m", version: "3" }));
  await ok(
    s.call("POST", "/registered-models/create", {
      name: "greeting",
      tags: [{ key: "mlflow.prompt.is_prompt", value: "true" }],
    }),
  );
  await ok(
    s.call("POST", "/model-versions/create", {
      name: "greeting",
      source: "dummy-source",
      tags: [
        { key: "mlflow.prompt.is_prompt", value: "true" },
        { key: "mlflow.prompt.text", value: "Hello {{name}}" },
      ],
    }),
  );
  const webhook = await ok(
    Promise.resolve(
      source.app.request("http://localhost/api/2.0/mlflow/webhooks", {
        method: "POST",
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify({
          name: "hook",
          url: "https://example.com/hook",
          events: [{ entity: "MODEL_VERSION", action: "CREATED" }],
          secret: "s3cret",
        }),
      }),
    ).then(async (r) => ({ status: r.status, body: await r.json() })),
  );

  const model = (await ok(s.call("GET", `/logged-models/${modelId}`))).model as LoggedModel;
  const registered: ImportRegisteredModel[] = [];
  for (const name of ["m", "greeting"]) {
    const rm = (await ok(s.call("GET", "/registered-models/get", { name }))).registered_model as RegisteredModel;
    // Prompt versions are hidden from search-model-versions (as in the reference): a source reads them one by one.
    const versions =
      name === "greeting"
        ? [(await ok(s.call("GET", "/model-versions/get", { name, version: "1" }))).model_version as ModelVersion]
        : ((await ok(s.call("GET", "/model-versions/search", { filter: `name = '${name}'` })))
            .model_versions as ModelVersion[]);
    registered.push({ model: rm, versions });
  }
  // The deleted version 3, as a database source holds it.
  registered[0]?.versions.push({
    name: "m",
    version: "3",
    creation_timestamp: 1,
    last_updated_timestamp: 2,
    current_stage: "Deleted_Internal",
    source: "REDACTED-SOURCE-PATH",
    run_id: "REDACTED-RUN-ID",
    status: "READY",
  });
  return { runId, model, registered, webhooks: [webhook.webhook as Webhook] };
}

describe("import sink: logged models, registry, webhooks", () => {
  let seeded: Seeded;

  async function importInto(url: string): Promise<void> {
    const sink = await createImportSink({ url });
    try {
      const run = (await ok(source.call("GET", "/runs/get", { run_id: seeded.runId }))).run;
      await sink.experiment((await ok(source.call("GET", "/experiments/get", { experiment_id: "0" }))).experiment);
      await sink.run(
        "0",
        { run },
        batches([
          { key: "acc", value: 0.9, timestamp: 10, step: 1, model_id: seeded.model.info.model_id },
          { key: "acc", value: Number.NaN, timestamp: 11, step: 2, model_id: seeded.model.info.model_id },
        ]),
      );
      await sink.loggedModel("0", { model: seeded.model });
      for (const m of seeded.registered) await sink.registeredModel(m);
      for (const w of seeded.webhooks) await sink.webhook({ webhook: w, secret: "s3cret" });
    } finally {
      await sink.close();
    }
  }

  it("reads back logged models, registered models, versions, aliases, prompts and webhooks as the source answers them", async () => {
    seeded = await seed();
    await importInto(target.url);
    app = await openTargetApp(target.url, target.dir);
    const modelId = seeded.model.info.model_id;
    expect((await ok(app.call("GET", `/logged-models/${modelId}`))).model).toEqual(seeded.model);
    expect(seeded.model.data.metrics).toHaveLength(2);
    for (const name of ["m", "greeting"]) {
      const want = await ok(source.call("GET", "/registered-models/get", { name }));
      expect(await ok(app.call("GET", "/registered-models/get", { name }))).toEqual(want);
      const q = { filter: `name = '${name}'` };
      expect(await ok(app.call("GET", "/model-versions/search", q))).toEqual(
        await ok(source.call("GET", "/model-versions/search", q)),
      );
    }
    const prompt = { name: "greeting", version: "1" };
    expect(await ok(app.call("GET", "/model-versions/get", prompt))).toEqual(
      await ok(source.call("GET", "/model-versions/get", prompt)),
    );
    const alias = { name: "m", alias: "champion" };
    expect(await ok(app.call("GET", "/registered-models/alias", alias))).toEqual(
      await ok(source.call("GET", "/registered-models/alias", alias)),
    );
    // Prompts stay prompts: hidden from model searches as on the source.
    const search = async (t: { call: TargetApp["call"] }) =>
      (await ok(t.call("GET", "/registered-models/search", {}))).registered_models.map((m: RegisteredModel) => m.name);
    expect(await search(app)).toEqual(await search(source));
    // The deleted version keeps its number: the next one is 4.
    expect((await app.call("GET", "/model-versions/get", { name: "m", version: "3" })).status).toBe(404);
    const next = await ok(app.call("POST", "/model-versions/create", { name: "m", source: "s3://b/x" }));
    expect(next.model_version.version).toBe("4");
    const hooks = async (a: { app: { request: (u: string) => Response | Promise<Response> } }) =>
      (await (await a.app.request("http://localhost/api/2.0/mlflow/webhooks")).json()).webhooks;
    expect(await hooks(app)).toEqual(await hooks(source));
  });

  it("changes nothing when imported again", async () => {
    app.close();
    await importInto(target.url);
    app = await openTargetApp(target.url, target.dir);
    const model = (await ok(app.call("GET", `/logged-models/${seeded.model.info.model_id}`))).model;
    expect(model).toEqual(seeded.model);
    const versions = await ok(app.call("GET", "/model-versions/search", { filter: "name = 'm'" }));
    expect(versions.model_versions.map((v: ModelVersion) => v.version).sort()).toEqual(["1", "2", "4"]);
  });
});
