import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { MlflowClient } from "./client.js";
import { isMlflowApiError, MlflowApiError } from "./errors.js";
import { collect } from "./paging.js";
import { TARGETS, useServer } from "./testing/servers.test-helpers.js";

/** Reads a stream to text. */
async function text(stream: ReadableStream<Uint8Array>): Promise<string> {
  return new Response(stream).text();
}

/** The error a promise rejects with. */
async function failure(p: Promise<unknown>): Promise<MlflowApiError> {
  try {
    await p;
  } catch (e) {
    if (e instanceof MlflowApiError) return e;
    throw e;
  }
  throw new Error("expected an MlflowApiError");
}

// The same suite against tracklite and MLflow's own server: the client must be right for both. Generous timeouts: the
// reference server is slow, and the machine runs the other suites beside this one.
describe.each(TARGETS)(
  "MlflowClient against %s",
  (kind) => {
    const server = useServer(kind);
    let client: MlflowClient;
    let experimentId: string;
    const local = mkdtempSync(join(tmpdir(), "client-files-"));

    beforeAll(async () => {
      client = new MlflowClient({ trackingUri: server.url, maxRetries: 0 });
      experimentId = await client.createExperiment("client-suite", { tags: { team: "ts" } });
    });

    describe("experiments", () => {
      it("creates, reads by id and name, renames and tags", async () => {
        const e = await client.getExperiment(experimentId);
        expect(e).toMatchObject({ name: "client-suite", lifecycle_stage: "active" });
        expect(e.tags).toContainEqual({ key: "team", value: "ts" });
        expect((await client.getExperimentByName("client-suite"))?.experiment_id).toBe(experimentId);
        expect(await client.getExperimentByName("no-such-experiment")).toBeUndefined();

        const id = await client.createExperiment("to-rename");
        await client.renameExperiment(id, "renamed");
        await client.setExperimentTag(id, "k", "v");
        expect(await client.getExperiment(id)).toMatchObject({ name: "renamed", tags: [{ key: "k", value: "v" }] });
        await client.deleteExperimentTag(id, "k");
        expect((await client.getExperiment(id)).tags ?? []).toEqual([]);
        await client.deleteExperiment(id);
        expect((await client.getExperiment(id)).lifecycle_stage).toBe("deleted");
        await client.restoreExperiment(id);
        expect((await client.getExperiment(id)).lifecycle_stage).toBe("active");
      });

      it("follows page tokens through every search result", async () => {
        for (let i = 0; i < 5; i++) await client.createExperiment(`paged-${i}`);
        const first = await client.searchExperiments({ filterString: "name LIKE 'paged-%'", maxResults: 2 });
        expect(first.items).toHaveLength(2);
        expect(first.nextPageToken).toBeTruthy();
        const all = await collect(
          client.iterateExperiments({ filterString: "name LIKE 'paged-%'", maxResults: 2, orderBy: ["name ASC"] }),
        );
        expect(all.map((e) => e.name)).toEqual(["paged-0", "paged-1", "paged-2", "paged-3", "paged-4"]);
      });

      it("turns MLflow errors into MlflowApiError with code and status", async () => {
        const e = await failure(client.createExperiment("client-suite"));
        expect(isMlflowApiError(e)).toBe(true);
        expect(isMlflowApiError(e, "RESOURCE_ALREADY_EXISTS")).toBe(true);
        expect(e).toMatchObject({ errorCode: "RESOURCE_ALREADY_EXISTS", status: 400 });
        expect(e.message).toContain("client-suite");
        const missing = await failure(client.getExperiment("987654321"));
        expect(missing).toMatchObject({ errorCode: "RESOURCE_DOES_NOT_EXIST", status: 404 });
      });
    });

    describe("runs", () => {
      it("logs metrics, params and tags and reads them back", async () => {
        const run = await client.createRun(experimentId, { runName: "basic", tags: { stage: "dev" } });
        const id = run.info.run_id;
        expect(run.info).toMatchObject({ run_name: "basic", status: "RUNNING", experiment_id: experimentId });
        await client.logParam(id, "lr", 0.01);
        await client.setTag(id, "note", "hello");
        await client.logMetric(id, "loss", 0.5, { step: 1, timestamp: 1000 });
        await client.logMetric(id, "loss", Number.NaN, { step: 2, timestamp: 1001 });
        await client.deleteTag(id, "stage");
        await client.setTerminated(id);
        const got = await client.getRun(id);
        expect(got.info.status).toBe("FINISHED");
        expect(got.info.end_time).toBeGreaterThan(0);
        expect(got.data.params).toContainEqual({ key: "lr", value: "0.01" });
        expect(got.data.tags).toContainEqual({ key: "note", value: "hello" });
        expect(got.data.tags?.some((t) => t.key === "stage")).toBe(false);
        const history = await client.getMetricHistory(id, "loss");
        expect(history.map((m) => [m.step, m.value])).toEqual([
          [1, 0.5],
          [2, "NaN"],
        ]);
      });

      it("splits a big log-batch within MLflow's limits and keeps every point", async () => {
        const id = (await client.createRun(experimentId)).info.run_id;
        const metrics = Array.from({ length: 2500 }, (_, step) => ({
          key: "m",
          value: step / 10,
          timestamp: 5000 + step,
          step,
        }));
        const params = Array.from({ length: 150 }, (_, i) => ({ key: `p${i}`, value: String(i) }));
        await client.logBatch(id, { metrics, params, tags: [{ key: "t", value: "1" }] });
        const history = await client.getMetricHistory(id, "m");
        expect(history).toHaveLength(2500);
        expect(history[1234]).toMatchObject({ step: 1234, value: 123.4 });
        expect((await client.getRun(id)).data.params).toHaveLength(150);
        const sampled = await client.getMetricHistoryBulkInterval([id], "m", { maxResults: 50 });
        expect(sampled.length).toBeGreaterThan(2);
        expect(sampled.length).toBeLessThanOrEqual(50);
        expect(sampled.at(-1)).toMatchObject({ step: 2499, run_id: id });
      });

      it("searches runs with filters and order, page by page", async () => {
        const exp = await client.createExperiment("run-search");
        for (let i = 0; i < 7; i++) {
          const id = (await client.createRun(exp, { runName: `r${i}` })).info.run_id;
          await client.logMetric(id, "score", i, { step: 0 });
        }
        const page = await client.searchRuns([exp], { filterString: "metrics.score >= 3", maxResults: 2 });
        expect(page.items).toHaveLength(2);
        const all = await collect(
          client.iterateRuns([exp], {
            filterString: "metrics.score >= 3",
            orderBy: ["metrics.score DESC"],
            maxResults: 2,
          }),
        );
        expect(all.map((r) => r.info.run_name)).toEqual(["r6", "r5", "r4", "r3"]);
        const bad = await failure(client.searchRuns([exp], { filterString: "metrics.score >>> 3" }));
        expect(bad).toMatchObject({ errorCode: "INVALID_PARAMETER_VALUE", status: 400 });
      });

      it("deletes and restores runs, and logs dataset inputs", async () => {
        const id = (await client.createRun(experimentId)).info.run_id;
        await client.logInputs(id, [
          {
            dataset: { name: "iris", digest: "abc123", source_type: "local", source: '{"uri": "/data/iris.csv"}' },
            tags: [{ key: "mlflow.data.context", value: "train" }],
          },
        ]);
        expect((await client.getRun(id)).inputs?.dataset_inputs?.[0]?.dataset.name).toBe("iris");
        await client.deleteRun(id);
        expect((await client.getRun(id)).info.lifecycle_stage).toBe("deleted");
        await client.restoreRun(id);
        expect((await client.getRun(id)).info.lifecycle_stage).toBe("active");
      });
    });

    describe("artifacts", () => {
      it("uploads files, text and directories as streams, lists and downloads them", async () => {
        const id = (await client.createRun(experimentId)).info.run_id;
        const big = join(local, "big.bin");
        const bytes = new Uint8Array(3 * 1024 * 1024 + 17).map((_, i) => (i * 7) % 251);
        writeFileSync(big, bytes);
        mkdirSync(join(local, "dir/sub"), { recursive: true });
        writeFileSync(join(local, "dir/a.txt"), "A");
        writeFileSync(join(local, "dir/sub/b.txt"), "B");

        await client.logArtifact(id, big, { artifactPath: "data" });
        await client.logText(id, "hello artifacts", "notes/hello.txt");
        await client.logDict(id, { lr: 0.1 }, "config.json");
        await client.logArtifacts(id, join(local, "dir"), "tree");

        expect((await client.listArtifacts(id)).map((f) => [f.path, f.is_dir])).toEqual([
          ["config.json", false],
          ["data", true],
          ["notes", true],
          ["tree", true],
        ]);
        expect(await client.listArtifacts(id, "data")).toEqual([
          { path: "data/big.bin", is_dir: false, file_size: bytes.length },
        ]);
        expect(await text(await client.downloadArtifact(id, "notes/hello.txt"))).toBe("hello artifacts");
        expect(JSON.parse(await text(await client.downloadArtifact(id, "config.json")))).toEqual({ lr: 0.1 });
        const downloaded = new Uint8Array(
          await new Response(await client.downloadArtifact(id, "data/big.bin")).arrayBuffer(),
        );
        expect(Buffer.compare(downloaded, bytes)).toBe(0);

        const dst = mkdtempSync(join(tmpdir(), "client-dl-"));
        const tree = await client.downloadArtifacts(id, "tree", dst);
        expect(readFileSync(join(tree, "a.txt"), "utf8")).toBe("A");
        expect(readFileSync(join(tree, "sub/b.txt"), "utf8")).toBe("B");
        const one = await client.downloadArtifacts(id, "notes/hello.txt", dst);
        expect(readFileSync(one, "utf8")).toBe("hello artifacts");

        const missing = await failure(client.downloadArtifact(id, "nope.txt"));
        expect(missing.status).toBe(404);
      });
    });

    describe("logged models", () => {
      it("creates, tags, finalizes, searches, stores files and deletes a model", async () => {
        const run = (await client.createRun(experimentId)).info.run_id;
        const model = await client.createLoggedModel(experimentId, {
          name: "clf",
          sourceRunId: run,
          params: { depth: "3" },
          tags: { owner: "ts" },
        });
        const id = model.info.model_id;
        expect(model.info).toMatchObject({ name: "clf", source_run_id: run, status: "LOGGED_MODEL_PENDING" });
        await client.logModelArtifact(id, { text: '{"w": [1, 2]}' }, { artifactFile: "weights.json" });
        await client.setLoggedModelTags(id, { stage: "x", extra: "y" });
        await client.deleteLoggedModelTag(id, "extra");
        await client.logModelParams(id, { width: "8" });
        const ready = await client.finalizeLoggedModel(id);
        expect(ready.info.status).toBe("LOGGED_MODEL_READY");
        const got = await client.getLoggedModel(id);
        expect(got.info.tags).toContainEqual({ key: "stage", value: "x" });
        expect(got.info.tags?.some((t) => t.key === "extra")).toBe(false);
        expect(got.data?.params).toEqual(
          expect.arrayContaining([
            { key: "depth", value: "3" },
            { key: "width", value: "8" },
          ]),
        );
        expect(await text(await client.downloadLoggedModelArtifact(id, "weights.json"))).toBe('{"w": [1, 2]}');
        expect((await client.listLoggedModelArtifacts(id)).map((f) => f.path)).toEqual(["weights.json"]);
        const found = await collect(
          client.iterateLoggedModels({ experimentIds: [experimentId], filterString: "name = 'clf'" }),
        );
        expect(found.map((m) => m.info.model_id)).toEqual([id]);
        await client.deleteLoggedModel(id);
        expect(await failure(client.getLoggedModel(id))).toMatchObject({ errorCode: "RESOURCE_DOES_NOT_EXIST" });
      });
    });

    describe("model registry and prompts", () => {
      it("registers versions, aliases, stages, tags and searches them", async () => {
        const run = (await client.createRun(experimentId)).info.run_id;
        await client.createRegisteredModel("ts-model", { description: "first", tags: { team: "ts" } });
        const v1 = await client.createModelVersion("ts-model", `runs:/${run}/model`, { runId: run });
        const v2 = await client.createModelVersion("ts-model", `runs:/${run}/model`, { runId: run, description: "v2" });
        expect([v1.version, v2.version]).toEqual(["1", "2"]);
        await client.setRegisteredModelAlias("ts-model", "champion", 2);
        expect((await client.getModelVersionByAlias("ts-model", "champion")).version).toBe("2");
        await client.transitionModelVersionStage("ts-model", 1, "Production");
        expect((await client.getLatestVersions("ts-model", ["Production"])).map((v) => v.version)).toEqual(["1"]);
        await client.setModelVersionTag("ts-model", 1, "k", "v");
        expect((await client.getModelVersion("ts-model", 1)).tags).toContainEqual({ key: "k", value: "v" });
        await client.deleteModelVersionTag("ts-model", 1, "k");
        await client.updateModelVersion("ts-model", 1, "described");
        expect((await client.getModelVersion("ts-model", 1)).description).toBe("described");
        expect(await client.getModelVersionDownloadUri("ts-model", 1)).toBeTruthy();
        await client.setRegisteredModelTag("ts-model", "x", "1");
        await client.deleteRegisteredModelTag("ts-model", "x");
        await client.updateRegisteredModel("ts-model", "second");
        const rm = await client.getRegisteredModel("ts-model");
        expect(rm).toMatchObject({
          name: "ts-model",
          description: "second",
          aliases: [{ alias: "champion", version: "2" }],
        });
        const versions = await collect(
          client.iterateModelVersions({ filterString: "name = 'ts-model'", maxResults: 1 }),
        );
        expect(versions.map((v) => v.version).sort()).toEqual(["1", "2"]);
        const models = await collect(client.iterateRegisteredModels({ filterString: "name LIKE 'ts-%'" }));
        expect(models.map((m) => m.name)).toEqual(["ts-model"]);
        await client.deleteRegisteredModelAlias("ts-model", "champion");
        await client.deleteModelVersion("ts-model", 1);
        await client.renameRegisteredModel("ts-model", "ts-model-2");
        expect((await client.getRegisteredModel("ts-model-2")).latest_versions?.map((v) => v.version)).toEqual(["2"]);
        await client.deleteRegisteredModel("ts-model-2");
        expect(await failure(client.getRegisteredModel("ts-model-2"))).toMatchObject({ status: 404 });
      });

      it("registers, loads and formats prompts", async () => {
        const v1 = await client.registerPrompt("greet", "Hello {{ name }}!", { commitMessage: "first" });
        const v2 = await client.registerPrompt("greet", [{ role: "user", content: "Hi {{name}}" }]);
        expect([v1.version, v2.version]).toEqual([1, 2]);
        await client.setPromptAlias("greet", "prod", 1);
        const byAlias = await client.loadPrompt("prompts:/greet@prod");
        expect(byAlias).toMatchObject({ version: 1, template: "Hello {{ name }}!", commitMessage: "first" });
        expect(byAlias.format({ name: "Ada" })).toBe("Hello Ada!");
        expect((await client.loadPrompt("prompts:/greet/2")).format({ name: "Bo" })).toEqual([
          { role: "user", content: "Hi Bo" },
        ]);
        expect((await client.loadPrompt("greet", 1)).version).toBe(1);
        const found = await client.searchPrompts({ filterString: "name = 'greet'" });
        expect(found.items.map((m) => m.name)).toEqual(["greet"]);
        await client.deletePromptAlias("greet", "prod");
      });
    });

    describe("webhooks", () => {
      it("creates, lists, updates and deletes a webhook", async () => {
        const hook = await client.createWebhook({
          name: "ci",
          url: "http://127.0.0.1:9/hook",
          events: [{ entity: "MODEL_VERSION", action: "CREATED" }],
        });
        expect(hook).toMatchObject({ name: "ci", status: "ACTIVE" });
        expect((await client.listWebhooks()).items.map((w) => w.webhook_id)).toContain(hook.webhook_id);
        const updated = await client.updateWebhook(hook.webhook_id, { status: "DISABLED", description: "off" });
        expect(updated).toMatchObject({ status: "DISABLED", description: "off" });
        expect((await client.getWebhook(hook.webhook_id)).status).toBe("DISABLED");
        await client.deleteWebhook(hook.webhook_id);
        expect(await failure(client.getWebhook(hook.webhook_id))).toMatchObject({ status: 404 });
      });
    });
  },
  120_000,
);
