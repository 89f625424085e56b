import { mkdtempSync, rmSync } from "node:fs";
import { Agent, request } from "node:http";
import { connect, type Socket } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { postJson, type Running, startServer, terminate } from "./shutdown.test-helpers.js";

const dir = mkdtempSync(join(tmpdir(), "tracklite-shutdown-"));
const db = join(dir, "mlflow.db");
const artifacts = join(dir, "artifacts");
const started: Running[] = [];
afterAll(() => {
  for (const run of started) run.child.kill("SIGKILL");
  rmSync(dir, { recursive: true, force: true });
});

async function start(env: Record<string, string> = {}): Promise<Running> {
  const run = await startServer(db, artifacts, env);
  started.push(run);
  return run;
}

/** One POST over a keep-alive agent: the status, or the error code when no answer came. */
function post(agent: Agent, base: string, path: string, body: unknown): Promise<{ status?: number; error?: string }> {
  return new Promise((resolve) => {
    const req = request(`${base}${path}`, { method: "POST", agent, headers: { "Content-Type": "application/json" } });
    req.on("response", (res) => {
      res.resume();
      res.on("end", () => resolve({ status: res.statusCode ?? 0 }));
      res.on("error", (e: NodeJS.ErrnoException) => resolve({ error: `response ${e.code ?? e.message}` }));
    });
    req.on("error", (e: NodeJS.ErrnoException) =>
      // Node's documented case for a retry: the server closed an idle keep-alive socket as this request went out on
      // it, so the server never read it (https://nodejs.org/api/http.html#requestreusedsocket).
      resolve({ error: req.reusedSocket && e.code === "ECONNRESET" ? "retry" : (e.code ?? e.message) }),
    );
    req.end(JSON.stringify(body));
  });
}

/** Reads a raw socket until the server closes it. */
function readAll(socket: Socket): Promise<string> {
  return new Promise((resolve) => {
    let text = "";
    socket.on("data", (d) => {
      text += d.toString("latin1");
    });
    socket.on("close", () => resolve(text));
    socket.on("error", () => undefined);
  });
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe("graceful shutdown of the CLI server", () => {
  it("SIGTERM while 16 clients write: every acknowledged write is kept, none is cut, exit 0", async () => {
    const run = await start();
    const { experiment_id } = await postJson<{ experiment_id: string }>(run.url, "/api/2.0/mlflow/experiments/create", {
      name: "drain",
    });
    const { run: created } = await postJson<{ run: { info: { run_id: string } } }>(
      run.url,
      "/api/2.0/mlflow/runs/create",
      { experiment_id },
    );
    const runId = created.info.run_id;
    const acked = new Map<string, number[]>();
    const failures: string[] = [];
    let afterSignal = 0;
    let retried = 0;
    let signalled = false;
    const writer = async (w: number) => {
      const agent = new Agent({ keepAlive: true, maxSockets: 1 });
      const key = `w${w}`;
      acked.set(key, []);
      for (let step = 0; ; ) {
        const body =
          step % 2 === 0
            ? { run_id: runId, key, value: step, step, timestamp: 1000 + step }
            : { run_id: runId, metrics: [{ key, value: step, step, timestamp: 1000 + step }] };
        const path = step % 2 === 0 ? "/api/2.0/mlflow/runs/log-metric" : "/api/2.0/mlflow/runs/log-batch";
        const answer = await post(agent, run.url, path, body);
        if (answer.error === "retry") {
          retried++;
          continue;
        }
        if (answer.error === "ECONNREFUSED") break;
        if (answer.status === 200) {
          acked.get(key)?.push(step);
          if (signalled) afterSignal++;
        } else failures.push(`${key}/${step}: ${answer.status ?? answer.error}`);
        step++;
      }
      agent.destroy();
    };
    const writers = Array.from({ length: 16 }, (_, w) => writer(w));
    await sleep(1500);
    const signalledAt = Date.now();
    signalled = true;
    const status = await terminate(run);
    const drainMs = Date.now() - signalledAt;
    await Promise.all(writers);
    expect(failures).toEqual([]);
    // Idle keep-alive connections are closed only after a linger, so no client loses a request it was sending.
    expect(retried).toBe(0);
    expect(status).toBe(0);
    expect(drainMs).toBeLessThan(5000);
    const total = [...acked.values()].reduce((n, steps) => n + steps.length, 0);
    expect(total).toBeGreaterThan(16);
    console.log(
      `drain: ${total} writes acknowledged, ${retried} retried on a reused socket, ${afterSignal} after SIGTERM, exit after ${drainMs} ms`,
    );

    // Every acknowledged value is in the database, read back by a new process.
    const again = await start();
    for (const [key, steps] of acked) {
      const res = await fetch(`${again.url}/api/2.0/mlflow/metrics/get-history?run_id=${runId}&metric_key=${key}`);
      const { metrics = [] } = (await res.json()) as { metrics?: { step: number }[] };
      const stored = new Set(metrics.map((m) => m.step));
      expect(steps.filter((s) => !stored.has(s))).toEqual([]);
    }
    expect(await terminate(again)).toBe(0);
  }, 60_000);

  it("finishes a request that was arriving at SIGTERM; /health answers 503 while draining", async () => {
    const run = await start();
    const { port } = new URL(run.url);
    const payload = Buffer.alloc(256 * 1024, 7);
    // An upload whose body is half sent, and a request whose head is half sent, when the signal comes.
    const upload = connect(Number(port), "127.0.0.1");
    const uploaded = readAll(upload);
    upload.write(
      `PUT /api/2.0/mlflow-artifacts/artifacts/0/drain/half.bin HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: ${payload.length}\r\n\r\n`,
    );
    upload.write(payload.subarray(0, payload.length / 2));
    const health = connect(Number(port), "127.0.0.1");
    const healthAnswer = readAll(health);
    health.write("GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\n");
    await sleep(300);
    run.child.kill("SIGTERM");
    await sleep(300);
    // The listener is closed: a new connection is refused.
    await expect(fetch(`${run.url}/health`)).rejects.toThrow();
    // write, not end: Node's server drops a request whose client half-closes the socket (httpAllowHalfOpen).
    upload.write(payload.subarray(payload.length / 2));
    health.write("\r\n");
    const [up, hl] = await Promise.all([uploaded, healthAnswer]);
    expect(up).toMatch(/^HTTP\/1\.1 200 /);
    expect(up).toMatch(/\r\nconnection: close\r\n/i);
    expect(hl).toMatch(/^HTTP\/1\.1 503 /);
    expect(hl).toMatch(/\r\nconnection: close\r\n/i);
    expect(await run.exited).toBe(0);

    const again = await start();
    const res = await fetch(`${again.url}/api/2.0/mlflow-artifacts/artifacts/0/drain/half.bin`);
    expect(Buffer.from(await res.arrayBuffer()).equals(payload)).toBe(true);
    const ok = await fetch(`${again.url}/health`);
    expect([ok.status, await ok.text()]).toEqual([200, "OK"]);
    expect(await terminate(again)).toBe(0);
  }, 60_000);

  it("cuts what is still running when the grace period ends, and still exits 0", async () => {
    const run = await start({ TRACKLITE_GRACEFUL_TIMEOUT: "0.5" });
    const { port } = new URL(run.url);
    const stuck = connect(Number(port), "127.0.0.1");
    const answer = readAll(stuck);
    stuck.write(
      "PUT /api/2.0/mlflow-artifacts/artifacts/0/drain/never.bin HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 1000\r\n\r\nabc",
    );
    await sleep(300);
    const t0 = Date.now();
    expect(await terminate(run)).toBe(0);
    expect(Date.now() - t0).toBeLessThan(3000);
    expect(await answer).toBe("");
    expect(run.output()).toContain("Grace period over: closing 1 unfinished request(s).");
  }, 30_000);

  it("refuses a bad TRACKLITE_GRACEFUL_TIMEOUT or TRACKLITE_WEBHOOK_RESUME_INTERVAL before starting", async () => {
    await expect(start({ TRACKLITE_GRACEFUL_TIMEOUT: "soon" })).rejects.toThrow(
      /exited with 2 before listening:\nError: TRACKLITE_GRACEFUL_TIMEOUT must be a number of seconds, but got soon/,
    );
    await expect(start({ TRACKLITE_WEBHOOK_RESUME_INTERVAL: "0" })).rejects.toThrow(
      /exited with 2 before listening:\nError: TRACKLITE_WEBHOOK_RESUME_INTERVAL must be a positive number of seconds, but got 0/,
    );
  });
});
