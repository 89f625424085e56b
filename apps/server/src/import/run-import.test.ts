import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createLocalArtifactStore } from "@tracklite/server/local-artifacts";
import { afterAll, describe, expect, it } from "vitest";
import { arraySource, sampleData } from "./array-source.test-helpers.js";
import { createArtifactReader } from "./artifacts/index.js";
import { createArtifactStep } from "./artifacts-step.js";
import { parseImportCommand } from "./command.js";
import { openFileSink, sinkContents } from "./file-sink.test-helpers.js";
import { runImportCommand } from "./run-command.js";
import { runImport } from "./run-import.js";
import { importUnit } from "./units.js";

const dir = mkdtempSync(join(tmpdir(), "tracklite-import-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let n = 0;
const dbPath = () => join(dir, `sink-${++n}.db`);

describe("runImport", () => {
  it("writes every experiment, run with its whole history, and the global items, and counts them", async () => {
    const sink = await openFileSink(dbPath());
    const source = arraySource(sampleData(2, 3, 2500));
    const result = await runImport({ source, sink, filter: {} });
    expect(result.tally.written).toMatchObject({ experiments: 2, runs: 6, registered_models: 1, model_versions: 1 });
    expect(result.tally.written.users).toBe(1);
    expect(result.tally.metricPoints).toBe(6 * 2500);
    const contents = await sinkContents(sink.client);
    expect(contents.items).toEqual({ experiment: 2, "registered-model": 1, run: 6, user: 1 });
    expect(Object.values(contents.points)).toEqual(Array(6).fill(2500));
    // The source's own skipped items, and artifacts (no copier here), are in the result.
    expect(result.skipped.map((s) => s.what)).toEqual(["artifacts", "webhook 'w1' secret"]);
    // Each unit is checkpointed: runs by the sink in their own commit (no extra commit per run), the rest also here.
    expect(sink.calls.markDone).toBe(2);
    expect(await sink.isDone(importUnit.run("run00200002"))).toBe(true);
    expect(await sink.isDone(importUnit.registeredModel("reg-model"))).toBe(true);
    await sink.close();
  });

  it("on resume skips the units done earlier: their histories are not even read", async () => {
    const path = dbPath();
    const data = sampleData(1, 4, 100);
    const first = await openFileSink(path);
    // An earlier import that committed two runs, then stopped.
    await first.experiment(data.experiments[0]?.experiment as never);
    for (const r of data.experiments[0]?.runs.slice(0, 2) ?? [])
      await first.run("1", r.run, arraySource(data).metricHistory(r.run.run.info.run_id));
    await first.close();

    const sink = await openFileSink(path);
    const source = arraySource(data);
    const result = await runImport({ source, sink, filter: {} });
    expect(result.tally.alreadyDone.runs).toBe(2);
    expect(result.tally.written.runs).toBe(2);
    expect(source.reads).toEqual(["history:run00100002", "history:run00100003"]);
    expect(sink.calls.run).toBe(2);
    expect((await sinkContents(sink.client)).points).toEqual({
      run00100000: 100,
      run00100001: 100,
      run00100002: 100,
      run00100003: 100,
    });

    // A third time: every unit is done, nothing is written again.
    const again = await runImport({ source: arraySource(data), sink, filter: {} });
    expect(again.tally.written.runs).toBe(0);
    expect(again.tally.alreadyDone).toMatchObject({ runs: 4, registered_models: 1, users: 1 });
    expect(again.tally.metricPoints).toBe(0);
    await sink.close();
  });

  it("--experiments picks by id or name, and leaves the registry, webhooks and users out, saying so", async () => {
    const sink = await openFileSink(dbPath());
    const source = arraySource(sampleData(3, 2, 10));
    const result = await runImport({ source, sink, filter: { experiments: ["1", "exp-3"] } });
    expect(result.tally.written).toMatchObject({ experiments: 2, runs: 4, registered_models: 0, users: 0 });
    const contents = await sinkContents(sink.client);
    expect(Object.keys(contents.points).sort()).toEqual(["run00100000", "run00100001", "run00300000", "run00300001"]);
    expect(contents.items).toEqual({ experiment: 2, run: 4 });
    expect(result.skipped).toContainEqual({
      what: "registry, webhooks and users",
      reason: "--experiments imports experiments only (run again without it for the rest)",
    });
    // A name that matches nothing is reported, not silently ignored.
    const missing = await runImport({ source, sink, filter: { experiments: ["exp-1", "nope"] } });
    expect(missing.skipped).toContainEqual({
      what: "--experiments exp-1,nope",
      reason: "only 1 of the 2 named experiments exist in the source",
    });
    await sink.close();
  });

  it("a dry run counts, reading no history, and fills in what the source cannot count", async () => {
    const source = arraySource(sampleData(2, 3, 50), { uncounted: ["runs"] });
    const result = await runImport({ source, filter: {} });
    expect(result.counts).toMatchObject({ experiments: 2, runs: 6, metric_points: 300 });
    expect(source.reads).toEqual([]);
    expect(result.tally.written.runs).toBe(0);
  });
});

describe("runImportCommand", () => {
  const kinds = (source: ReturnType<typeof arraySource>) => [
    { kind: "arrays", matches: (l: string) => l.startsWith("arrays:"), open: async () => source },
  ];
  const io = () => {
    const out = { stdout: "", stderr: "" };
    return {
      out,
      io: {
        env: {},
        stdout: { write: (t: string) => (out.stdout += t) },
        stderr: { isTTY: false, write: (t: string) => (out.stderr += t) },
      },
    };
  };
  const parse = (args: string[]) => {
    const command = parseImportCommand(args, {});
    if (command.kind !== "import") throw new Error(JSON.stringify(command));
    return command.options;
  };

  it("--dry-run writes nothing: the target database is not even created", async () => {
    const target = join(dir, "dry", "tracklite.db");
    const { out, io: streams } = io();
    const status = await runImportCommand(
      parse(["arrays:x", "--dry-run", "--backend-store-uri", `sqlite:///${target}`]),
      { ...streams, kinds: kinds(arraySource(sampleData(1, 2, 10))), openSink: (o) => openFileSink(o.backendStoreUri) },
    );
    expect(status, out.stderr).toBe(0);
    expect(existsSync(join(dir, "dry"))).toBe(false);
    expect(out.stdout).toMatch(/^Dry run: nothing was written\. arrays in-test source \(test\) holds:\n/);
    expect(out.stdout).toMatch(/ {2}runs {20,}2\n {2}metric points {10,}20\n/);
    expect(out.stdout).toContain("Skipped (1):\n  webhook 'w1' secret: not readable over REST");
    expect(out.stderr).toBe("");
  });

  it("imports with progress on stderr and the summary on stdout", async () => {
    const target = join(dir, "cmd", "t.db");
    const { out, io: streams } = io();
    const status = await runImportCommand(
      parse(["arrays:x", "--backend-store-uri", target, "--artifacts-destination", join(dir, "cmd", "a")]),
      {
        ...streams,
        kinds: kinds(arraySource(sampleData(2, 2, 1000))),
        openSink: (o) => openFileSink(o.backendStoreUri.slice("file:".length)),
      },
    );
    expect(status, out.stderr).toBe(0);
    const lines = out.stderr.trimEnd().split("\n");
    expect(lines[0]).toBe("import: 4 runs to import");
    expect(lines.at(-1)).toMatch(/^import: 100%, 4 runs imported in \d+\.\d s$/);
    // The quarter lines carry the rates and the ETA.
    expect(lines[1]).toMatch(/^import: 25% \(1 runs of 4 runs\) {2}1,000 points · .* points\/s · .* runs\/s · ETA /);
    expect(out.stdout).toMatch(
      new RegExp(`^Imported arrays in-test source \\(test\\) into file:${target} in \\d+\\.\\d s:\\n`),
    );
    expect(out.stdout).toMatch(/ {2}runs {10,}4\n {2}metric points {8,}4,000 {2}\(.* points\/s\)\n/);
  });

  it("a failure on the way is one line, exit 1, and says the same command resumes", async () => {
    const { out, io: streams } = io();
    const status = await runImportCommand(parse(["arrays:x", "--backend-store-uri", join(dir, "f.db")]), {
      ...streams,
      kinds: kinds(arraySource(sampleData(1, 1, 10))),
      openSink: async (o) => {
        const sink = await openFileSink(o.backendStoreUri.slice("file:".length));
        return { ...sink, run: async () => Promise.reject(new Error("disk I/O error")) };
      },
    });
    expect(status).toBe(1);
    const lines = out.stderr.trimEnd().split("\n");
    expect(lines.at(-1)).toBe(
      "Error: import failed: disk I/O error. Run the same command again to resume where it stopped.",
    );
  });
});

describe("artifacts", () => {
  it("copies each run's files into tracklite's layout, writes the run with the new URI, and resumes", async () => {
    const root = join(dir, "old-mlruns");
    const runDir = join(root, "1", "run00100000", "artifacts");
    mkdirSync(join(runDir, "model"), { recursive: true });
    writeFileSync(join(runDir, "model", "MLmodel"), "flavors: {}\n");
    writeFileSync(join(runDir, "notes.txt"), "hello");
    const data = sampleData(1, 1, 10);
    const run = data.experiments[0]?.runs[0]?.run.run;
    if (!run) throw new Error("no run");
    run.info.artifact_uri = `file://${runDir}`;
    // A version whose files are the run's model folder: pointed at the copy, not copied twice.
    data.registeredModels = [
      {
        model: { name: "m", creation_timestamp: 1 },
        versions: [{ name: "m", version: "1", creation_timestamp: 1, source: `file://${runDir}/model` }] as never,
      },
    ];
    const destination = join(dir, "dest");
    const store = createLocalArtifactStore(destination, { createRoot: true });
    const sink = await openFileSink(dbPath());
    const result = await runImport({
      source: arraySource(data, { artifacts: createArtifactReader() }),
      sink,
      filter: {},
      artifacts: createArtifactStep(store),
    });
    expect(result.tally.written.artifact_files).toBe(2);
    expect(result.tally.artifactBytes).toBe(17);
    expect(readFileSync(join(destination, "1", "run00100000", "artifacts", "model", "MLmodel"), "utf8")).toBe(
      "flavors: {}\n",
    );
    const row = await sink.client.execute("SELECT json FROM items WHERE kind = 'run'");
    expect(JSON.parse(String(row.rows[0]?.json)).run.info.artifact_uri).toBe(
      "mlflow-artifacts:/1/run00100000/artifacts",
    );
    const version = await sink.client.execute("SELECT json FROM items WHERE kind = 'registered-model'");
    expect(JSON.parse(String(version.rows[0]?.json)).versions[0].source).toBe(
      "mlflow-artifacts:/1/run00100000/artifacts/model",
    );
    expect(await sink.isDone("artifacts:run:run00100000")).toBe(true);
    // Again: the copy is a done unit; nothing is copied.
    const again = await runImport({
      source: arraySource(data, { artifacts: createArtifactReader() }),
      sink,
      filter: {},
      artifacts: createArtifactStep(store),
    });
    expect(again.tally.written.artifact_files).toBe(0);
    await sink.close();
  });

  it("a location the source cannot read is skipped with its reason; the import goes on", async () => {
    const data = sampleData(1, 2, 10);
    const run = data.experiments[0]?.runs[0]?.run.run;
    if (!run) throw new Error("no run");
    run.info.artifact_uri = "mlflow-artifacts:/1/run00100000/artifacts";
    const sink = await openFileSink(dbPath());
    const result = await runImport({
      source: arraySource(data, { artifacts: createArtifactReader() }),
      sink,
      filter: {},
      artifacts: createArtifactStep(createLocalArtifactStore(join(dir, "dest2"), { createRoot: true })),
    });
    expect(result.tally.written.runs).toBe(2);
    expect(
      result.skipped.find((s) => s.what === "artifacts at mlflow-artifacts:/1/run00100000/artifacts"),
    ).toBeTruthy();
    expect(await sink.isDone("artifacts:run:run00100000")).toBe(false);
    await sink.close();
  });
});
