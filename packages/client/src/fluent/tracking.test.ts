import { describe, expect, it, vi } from "vitest";
import { RUN_TAGS, userName } from "./run-context.js";
import { sleep, useInProcessServer } from "./test-server.test-helpers.js";

const server = useInProcessServer();

const tagsOf = (run: { data: { tags?: { key: string; value: string }[] } }) =>
  Object.fromEntries((run.data.tags ?? []).map((t) => [t.key, t.value]));

describe("startRun", () => {
  it("tags a run as Python's client does, with its name, description and tags", async () => {
    const tracking = server.tracking();
    const run = await tracking.startRun({
      experimentName: "start",
      runName: "baseline",
      description: "first try",
      tags: { team: "vision", attempt: 1 },
    });
    expect(run.info.status).toBe("RUNNING");
    const tags = tagsOf(await tracking.client.getRun(run.id));
    expect(tags).toMatchObject({
      "mlflow.runName": "baseline",
      [RUN_TAGS.sourceType]: "LOCAL",
      [RUN_TAGS.sourceName]: process.argv[1],
      [RUN_TAGS.note]: "first try",
      team: "vision",
      attempt: "1",
    });
    expect(tags[RUN_TAGS.user]).toBe(userName());
  });

  it("creates a named experiment once and reuses it", async () => {
    const tracking = server.tracking();
    const first = await tracking.startRun({ experimentName: "made-once" });
    const second = await tracking.startRun({ experimentName: "made-once" });
    expect(second.experimentId).toBe(first.experimentId);
    expect(server.requests.filter((r) => r.path.endsWith("/experiments/create"))).toHaveLength(1);
    // Another Tracking finds it instead of creating it again.
    const other = await server.tracking().startRun({ experimentName: "made-once" });
    expect(other.experimentId).toBe(first.experimentId);
    expect(server.requests.filter((r) => r.path.endsWith("/experiments/create"))).toHaveLength(1);
  });

  it("refuses a deleted experiment's name, as mlflow.set_experiment does", async () => {
    const tracking = server.tracking();
    const id = await tracking.client.createExperiment("gone");
    await tracking.client.deleteExperiment(id);
    await expect(tracking.startRun({ experimentName: "gone" })).rejects.toThrow(/deleted/);
  });

  it("uses setExperiment's experiment, else the Default one", async () => {
    const tracking = server.tracking();
    expect((await tracking.startRun()).experimentId).toBe("0");
    const id = await tracking.setExperiment("chosen");
    expect((await tracking.startRun()).experimentId).toBe(id);
  });

  it("starts nested runs in the parent's experiment, tagged with the parent's id", async () => {
    const tracking = server.tracking();
    const parent = await tracking.startRun({ experimentName: "nested" });
    const child = await parent.startRun({ runName: "fold-1" });
    expect(child.experimentId).toBe(parent.experimentId);
    expect(child.info.run_name).toBe("fold-1");
    expect(tagsOf(await tracking.client.getRun(child.id))[RUN_TAGS.parentRunId]).toBe(parent.id);
    await child.end();
    await parent.end();
    expect(tracking.activeRuns).toEqual([]);
  });
});

describe("end", () => {
  it("flushes, then marks the run FINISHED with an end time", async () => {
    const tracking = server.tracking({ lingerMs: 10_000 });
    const run = await tracking.startRun({ experimentName: "end" });
    await run.logMetrics({ loss: 0.5, acc: 0.75 }, { step: 3 });
    await run.logParam("lr", 0.01);
    await run.setTags({ stage: "dev" });
    const before = Date.now();
    await run.end();

    const stored = await tracking.client.getRun(run.id);
    expect(stored.info.status).toBe("FINISHED");
    expect(stored.info.end_time).toBeGreaterThanOrEqual(before);
    expect(run.info).toMatchObject({ status: "FINISHED", end_time: stored.info.end_time });
    expect(stored.data.metrics).toEqual(
      expect.arrayContaining([expect.objectContaining({ key: "acc", value: 0.75, step: 3 })]),
    );
    expect(stored.data.params).toEqual([{ key: "lr", value: "0.01" }]);
    expect(tagsOf(stored).stage).toBe("dev");
    await expect(run.logMetric("loss", 1)).rejects.toThrow(/has ended/);
  });

  it("marks a run FAILED when asked", async () => {
    const tracking = server.tracking();
    const run = await tracking.startRun({ experimentName: "end" });
    await run.end("FAILED");
    expect((await tracking.client.getRun(run.id)).info.status).toBe("FAILED");
  });

  it("close() ends the runs still active, removes the exit hook and refuses new runs", async () => {
    const listeners = process.listenerCount("beforeExit");
    const tracking = server.tracking({ lingerMs: 10_000 });
    const run = await tracking.startRun({ experimentName: "end" });
    expect(process.listenerCount("beforeExit")).toBe(listeners + 1);
    await run.logMetric("loss", 0.1);
    await tracking.close();

    expect(process.listenerCount("beforeExit")).toBe(listeners);
    const stored = await tracking.client.getRun(run.id);
    expect(stored.info.status).toBe("FINISHED");
    expect(stored.data.metrics).toMatchObject([{ key: "loss", value: 0.1 }]);
    await expect(tracking.startRun()).rejects.toThrow(/closed/);
  });

  it("removes the exit hook once the last run has ended", async () => {
    const listeners = process.listenerCount("beforeExit");
    const tracking = server.tracking();
    const run = await tracking.startRun({ experimentName: "end" });
    await run.end();
    expect(process.listenerCount("beforeExit")).toBe(listeners);
  });
});

describe("exit hooks", () => {
  it("on Deno's beforeunload, holds the program, flushes and ends the runs, then lets go", async () => {
    const target = new EventTarget();
    vi.stubGlobal("Deno", {});
    vi.stubGlobal("addEventListener", target.addEventListener.bind(target));
    vi.stubGlobal("removeEventListener", target.removeEventListener.bind(target));
    try {
      const tracking = server.tracking({ lingerMs: 60_000 });
      const run = await tracking.startRun({ experimentName: "exit" });
      await run.logMetric("loss", 0.3);
      const unload = new Event("beforeunload", { cancelable: true });
      target.dispatchEvent(unload);
      expect(unload.defaultPrevented).toBe(true);
      while (tracking.activeRuns.length) await sleep(5);

      const stored = await tracking.client.getRun(run.id);
      expect(stored.info.status).toBe("FINISHED");
      expect(stored.data.metrics).toMatchObject([{ key: "loss", value: 0.3 }]);
      const again = new Event("beforeunload", { cancelable: true });
      target.dispatchEvent(again);
      expect(again.defaultPrevented).toBe(false);
    } finally {
      vi.unstubAllGlobals();
    }
  });
});

describe("artifacts and inputs", () => {
  it("logs text, dicts and datasets straight away", async () => {
    const tracking = server.tracking();
    const run = await tracking.startRun({ experimentName: "artifacts" });
    await run.logText("hello", "notes/hello.txt");
    await run.logDict({ lr: 0.01 }, "config.json");
    await run.logArtifact({ bytes: new Uint8Array([1, 2, 3]) }, { artifactFile: "raw/data.bin" });
    await run.logInputs([
      { dataset: { name: "mnist", digest: "abc", source_type: "local", source: "/data/mnist" }, tags: [] },
    ]);

    const files = (await tracking.client.listArtifacts(run.id)).map((f) => f.path).sort();
    expect(files).toEqual(["config.json", "notes", "raw"]);
    const json = await new Response(await tracking.client.downloadArtifact(run.id, "config.json")).json();
    expect(json).toEqual({ lr: 0.01 });
    const stored = await tracking.client.getRun(run.id);
    expect(stored.inputs?.dataset_inputs?.[0]?.dataset.name).toBe("mnist");
  });
});
