import { type ChildProcess, spawn } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CLI, freePort, type Ran, runNode } from "./cli-run.test-helpers.js";

/**
 * `tracklite backup` and `tracklite restore` against real processes: a server on a database file and an artifacts
 * folder takes writes from several writers while `tracklite backup` runs beside it; the backup is restored into a
 * fresh place, a second server is started on it, and every write acknowledged before the backup began is read back
 * from it (metrics as whole prefixes of each writer's sequence: a consistent snapshot), artifacts byte for byte.
 */

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "tracklite-backup-"));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

interface Server {
  url: string;
  proc: ChildProcess;
  stop(): Promise<number | null>;
}

/** Starts `tracklite server` on a database file and artifacts folder; resolves once it listens. */
async function startServer(db: string, artifacts: string): Promise<Server> {
  const port = await freePort();
  const proc = spawn(
    process.execPath,
    [CLI, "server", "--port", String(port), "--backend-store-uri", db, "--artifacts-destination", artifacts],
    { cwd: dir, stdio: ["ignore", "pipe", "pipe"] },
  );
  let output = "";
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`server did not start:\n${output}`)), 20_000);
    const onData = (d: Buffer) => {
      output += d;
      if (output.includes("listening on")) {
        clearTimeout(timer);
        resolve();
      }
    };
    proc.stdout?.on("data", onData);
    proc.stderr?.on("data", onData);
    proc.once("exit", () => reject(new Error(`server exited:\n${output}`)));
  });
  const exited = new Promise<number | null>((resolve) => proc.once("exit", (code) => resolve(code)));
  return {
    url: `http://127.0.0.1:${port}`,
    proc,
    stop: async () => {
      proc.kill("SIGTERM");
      return exited;
    },
  };
}

async function call<T>(server: Server, method: string, path: string, body?: unknown): Promise<T> {
  const res = await fetch(`${server.url}${path}`, {
    method,
    ...(body === undefined ? {} : { body: JSON.stringify(body), headers: { "content-type": "application/json" } }),
  });
  const text = await res.text();
  if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${text}`);
  return (text ? JSON.parse(text) : {}) as T;
}

const createRun = async (server: Server, experimentId: string) =>
  (
    await call<{ run: { info: { run_id: string } } }>(server, "POST", "/api/2.0/mlflow/runs/create", {
      experiment_id: experimentId,
    })
  ).run.info.run_id;

const artifactPath = (experimentId: string, runId: string, path: string) =>
  `/api/2.0/mlflow-artifacts/artifacts/${experimentId}/${runId}/artifacts/${path}`;

async function history(server: Server, runId: string, key: string): Promise<number[]> {
  const r = await call<{ metrics?: { step: number }[] }>(
    server,
    "GET",
    `/api/2.0/mlflow/metrics/get-history?run_id=${runId}&metric_key=${key}`,
  );
  return (r.metrics ?? []).map((m) => m.step).sort((a, b) => a - b);
}

/** One acknowledged write, with when its answer came. */
interface Ack {
  writer: number;
  step: number;
  /** The artifact uploaded with this step, if any. */
  artifact?: string;
  at: number;
}

/** Resolves once `done()` holds (checked every 50 ms); fails after 60 s. */
async function waitFor(done: () => boolean): Promise<void> {
  const deadline = Date.now() + 60_000;
  while (!done()) {
    if (Date.now() > deadline) throw new Error("timed out waiting for the writers");
    await new Promise((r) => setTimeout(r, 50));
  }
}

const content = (writer: number, step: number) => `writer ${writer} step ${step}\n`.repeat(50);

describe("backup while serving, then restore into a fresh place", () => {
  const src = () => join(dir, "src");
  const backupDir = () => join(dir, "backup");
  let server: Server;
  let experimentId: string;
  const runs: string[] = [];
  const acks: Ack[] = [];
  let backupStart = 0;
  let backupEnd = 0;
  let ran: Ran;
  const WRITERS = 4;

  beforeAll(async () => {
    server = await startServer(`file:${join(src(), "tracklite.db")}`, join(src(), "artifacts"));
    experimentId = (
      await call<{ experiment_id: string }>(server, "POST", "/api/2.0/mlflow/experiments/create", { name: "ingest" })
    ).experiment_id;
    // Some bulk first (about 100,000 points), so that the snapshot takes long enough for writes to land beside it.
    const bulk = await createRun(server, experimentId);
    for (let batch = 0; batch < 100; batch++) {
      const metrics = Array.from({ length: 1000 }, (_, i) => ({
        key: `bulk_${i % 10}`,
        value: i,
        timestamp: 1_700_000_000_000 + batch,
        step: batch * 100 + Math.floor(i / 10),
      }));
      await call(server, "POST", "/api/2.0/mlflow/runs/log-batch", { run_id: bulk, metrics });
    }
    for (let w = 0; w < WRITERS; w++) runs.push(await createRun(server, experimentId));

    let stop = false;
    const writer = async (w: number) => {
      const runId = runs[w] ?? "";
      for (let step = 0; !stop; step++) {
        await call(server, "POST", "/api/2.0/mlflow/runs/log-batch", {
          run_id: runId,
          // Two metrics in one batch, one transaction: a snapshot has both or neither.
          metrics: [
            { key: "m", value: step, timestamp: Date.now(), step },
            { key: "m2", value: -step, timestamp: Date.now(), step },
          ],
        });
        let artifact: string | undefined;
        if (step % 5 === 0) {
          artifact = `w${w}/file-${step}.txt`;
          const res = await fetch(`${server.url}${artifactPath(experimentId, runId, artifact)}`, {
            method: "PUT",
            body: content(w, step),
          });
          if (!res.ok) throw new Error(`upload: ${res.status}`);
        }
        acks.push({ writer: w, step, at: Date.now(), ...(artifact ? { artifact } : {}) });
      }
    };
    const writing = Promise.all(Array.from({ length: WRITERS }, (_, w) => writer(w)));
    // Each writer well under way (with artifacts) before the backup, however loaded the machine is.
    await waitFor(() =>
      Array.from({ length: WRITERS }, (_, w) => w).every((w) => acks.filter((a) => a.writer === w).length >= 10),
    );
    backupStart = Date.now();
    ran = await runNode(
      CLI,
      [
        "backup",
        backupDir(),
        "--backend-store-uri",
        `sqlite:///${join(src(), "tracklite.db")}`,
        "--artifacts-destination",
        join(src(), "artifacts"),
      ],
      { cwd: dir, timeoutMs: 60_000 },
    );
    backupEnd = Date.now();
    // And each writer acknowledged again after it ended.
    await waitFor(() =>
      Array.from({ length: WRITERS }, (_, w) => w).every((w) => acks.some((a) => a.writer === w && a.at > backupEnd)),
    );
    stop = true;
    await writing;
  }, 180_000);

  afterAll(async () => {
    await server?.stop();
  });

  it("finishes with status 0 while the server keeps taking writes", () => {
    expect(ran.status, ran.stderr).toBe(0);
    expect(ran.stdout).toMatch(
      /^Backed up 2 experiments, 5 runs \([\d.]+ [kM]B\) and \d+ artifact files \([\d.]+ [kM]B\) to /,
    );
    const during = acks.filter((a) => a.at > backupStart && a.at < backupEnd).length;
    const after = acks.filter((a) => a.at > backupEnd).length;
    console.log(`backup took ${backupEnd - backupStart} ms; ${during} writes acknowledged meanwhile, ${after} after`);
    expect(during, "writes went on while the backup ran").toBeGreaterThan(0);
    expect(after, "and after it").toBeGreaterThan(0);
  });

  it("reports progress on stderr as plain lines when stderr is not a terminal", () => {
    expect(ran.stderr).not.toContain("\r");
    expect(ran.stderr).toMatch(/^database: [\d.]+ [kM]?B to copy$/m);
    expect(ran.stderr).toMatch(/^database: 100%, [\d.]+ [kM]B in [\d.]+ s$/m);
    expect(ran.stderr).toMatch(/^artifacts: 100%, [\d,]+ files, [\d.]+ [kM]?B in [\d.]+ s$/m);
  });

  it("holds the database, the artifacts and backup.json, and nothing else", () => {
    expect(readdirSync(backupDir()).sort()).toEqual(["artifacts", "backup.json", "tracklite.db"]);
  });

  describe("restored into a fresh place, served by a new server", () => {
    let restored: Server;
    let restoreRun: Ran;
    const fresh = () => join(dir, "fresh");
    beforeAll(async () => {
      restoreRun = await runNode(
        CLI,
        [
          "restore",
          backupDir(),
          "--backend-store-uri",
          join(fresh(), "db", "tracklite.db"),
          "--artifacts-destination",
          join(fresh(), "artifacts"),
        ],
        { cwd: dir, timeoutMs: 60_000 },
      );
      restored = await startServer(`file:${join(fresh(), "db", "tracklite.db")}`, join(fresh(), "artifacts"));
    }, 60_000);
    afterAll(async () => {
      expect(await restored?.stop()).toBe(0);
    });

    it("restores with status 0 and says what it restored", () => {
      expect(restoreRun.status, restoreRun.stderr).toBe(0);
      expect(restoreRun.stdout).toMatch(
        /^Restored the backup of .* \(\d+ experiments, 5 runs and \d+ artifact files\)/,
      );
      expect(restoreRun.stderr).toMatch(/^database: 100%/m);
      expect(existsSync(join(backupDir(), "tracklite.db-wal")), "the backup folder is only read").toBe(false);
    });

    it("has every metric acknowledged before the backup began, as whole prefixes, and none acknowledged after it", async () => {
      for (let w = 0; w < WRITERS; w++) {
        const steps = await history(restored, runs[w] ?? "", "m");
        // A consistent snapshot: each writer's steps 0..k, no gaps.
        expect(steps, `writer ${w}`).toEqual(Array.from({ length: steps.length }, (_, i) => i));
        expect(await history(restored, runs[w] ?? "", "m2"), `writer ${w}: whole batches`).toEqual(steps);
        const mine = acks.filter((a) => a.writer === w);
        const before = mine.filter((a) => a.at < backupStart).map((a) => a.step);
        const after = mine.filter((a) => a.at > backupEnd).map((a) => a.step);
        expect(steps.length, `writer ${w}: acknowledged before the backup`).toBeGreaterThanOrEqual(
          Math.max(...before) + 1,
        );
        expect(Math.min(...after), `writer ${w}: acknowledged after the backup`).toBeGreaterThanOrEqual(steps.length);
      }
    });

    it("has the bulk metrics", async () => {
      const runsFound = await call<{ runs: { info: { run_id: string } }[] }>(
        restored,
        "POST",
        "/api/2.0/mlflow/runs/search",
        { experiment_ids: [experimentId], max_results: 100 },
      );
      expect(runsFound.runs).toHaveLength(WRITERS + 1);
    });

    it("has every artifact uploaded before the backup began, byte for byte", async () => {
      const before = acks.filter((a) => a.artifact && a.at < backupStart);
      expect(before.length).toBeGreaterThan(0);
      for (const ack of before) {
        const res = await fetch(
          `${restored.url}${artifactPath(experimentId, runs[ack.writer] ?? "", ack.artifact ?? "")}`,
        );
        expect(res.status, ack.artifact).toBe(200);
        expect(await res.text()).toBe(content(ack.writer, ack.step));
      }
    });

    it("takes new writes", async () => {
      await call(restored, "POST", "/api/2.0/mlflow/runs/log-batch", {
        run_id: runs[0],
        metrics: [{ key: "after_restore", value: 1, timestamp: Date.now(), step: 0 }],
      });
      expect(await history(restored, runs[0] ?? "", "after_restore")).toEqual([0]);
    });
  });

  describe("restoring over the live store", () => {
    it("refuses a store with data without --force, and a database a server has open even with it", async () => {
      const before = readdirSync(src()).sort();
      const args = ["restore", backupDir(), "--backend-store-uri", join(src(), "tracklite.db")];
      const plain = await runNode(CLI, [...args, "--artifacts-destination", join(src(), "artifacts")], { cwd: dir });
      expect(plain.status).toBe(2);
      expect(plain.stderr.trimEnd().split("\n")).toHaveLength(1);
      expect(plain.stderr).toMatch(/^Error: the store is not empty \(.*tracklite\.db, .*artifacts\): .*--force/);
      const forced = await runNode(CLI, [...args, "--artifacts-destination", join(src(), "artifacts"), "--force"], {
        cwd: dir,
      });
      expect(forced.status).toBe(2);
      expect(forced.stderr.trimEnd().split("\n")).toHaveLength(1);
      expect(forced.stderr).toMatch(/^Error: .*tracklite\.db is open in another process .*stop it/);
      // Nothing moved, nothing staged, and the server still writes.
      expect(readdirSync(src()).sort()).toEqual(before);
      await call(server, "POST", "/api/2.0/mlflow/runs/log-batch", {
        run_id: runs[1],
        metrics: [{ key: "still_serving", value: 1, timestamp: Date.now(), step: 0 }],
      });
      expect(await history(server, runs[1] ?? "", "still_serving")).toEqual([0]);
    }, 30_000);

    it("with the server stopped, --force restores and moves what was there aside", async () => {
      const lastStep = (await history(server, runs[0] ?? "", "m")).length;
      expect(await server.stop()).toBe(0);
      const forced = await runNode(
        CLI,
        [
          "restore",
          backupDir(),
          "--backend-store-uri",
          join(src(), "tracklite.db"),
          "--artifacts-destination",
          join(src(), "artifacts"),
          "--force",
        ],
        { cwd: dir, timeoutMs: 60_000 },
      );
      expect(forced.status, forced.stderr).toBe(0);
      expect(forced.stdout).toMatch(
        /What was there is now .*artifacts\.pre-restore-\d{8}T\d{6}Z, .*tracklite\.db\.pre-restore-/,
      );
      const names = readdirSync(src());
      const aside = names.find((n) => /^tracklite\.db\.pre-restore-\d{8}T\d{6}Z$/.test(n)) ?? "";
      expect(aside).not.toBe("");
      expect(names.some((n) => n.includes(".partial"))).toBe(false);
      // The restored store has the backup's state; the one moved aside keeps every write, and both serve.
      server = await startServer(`file:${join(src(), "tracklite.db")}`, join(src(), "artifacts"));
      const restoredSteps = (await history(server, runs[0] ?? "", "m")).length;
      expect(restoredSteps).toBeLessThan(lastStep);
      expect(await history(server, runs[1] ?? "", "still_serving")).toEqual([]);
      const old = await startServer(
        `file:${join(src(), aside)}`,
        join(src(), names.find((n) => n.startsWith("artifacts.pre-restore")) ?? ""),
      );
      try {
        expect((await history(old, runs[0] ?? "", "m")).length).toBe(lastStep);
        expect(await history(old, runs[1] ?? "", "still_serving")).toEqual([0]);
      } finally {
        await old.stop();
      }
    }, 60_000);
  });
});
