/**
 * The load generator: an undici connection pool with keep-alive, a closed-loop driver (N clients each sending its
 * next request as soon as the previous one is answered), a sequential latency driver, and the statistics the report
 * quotes. The generator measures its own CPU share so the report can show it was not the bottleneck.
 */
import { performance } from "node:perf_hooks";
import { Pool } from "undici";

/** An HTTP client for one server: JSON in, JSON (or raw text) out, errors counted rather than thrown. */
export class Api {
  constructor(url, connections = 16) {
    this.url = url;
    this.pool = new Pool(url, {
      connections,
      pipelining: 1,
      keepAliveTimeout: 60_000,
      headersTimeout: 0,
      bodyTimeout: 0,
    });
  }

  /** Sends one request; resolves to { status, text }. */
  async send(method, path, body) {
    const res = await this.pool.request({
      method,
      path,
      headers:
        body === undefined
          ? {}
          : { "content-type": body instanceof Uint8Array ? "application/octet-stream" : "application/json" },
      body: body === undefined || typeof body === "string" || body instanceof Uint8Array ? body : JSON.stringify(body),
    });
    const text = await res.body.text();
    return { status: res.statusCode, text };
  }

  /** Sends one request and parses the answer; throws on a non-200 status. */
  async json(method, path, body) {
    const { status, text } = await this.send(method, path, body);
    if (status !== 200) throw new Error(`${method} ${path} → ${status}: ${text.slice(0, 300)}`);
    return JSON.parse(text);
  }

  post(path, body) {
    return this.json("POST", `/api/2.0/mlflow/${path}`, body);
  }

  get(path, query = {}) {
    return this.json("GET", `/api/2.0/mlflow/${path}${queryString(query)}`);
  }

  close() {
    return this.pool.close();
  }
}

export function queryString(query) {
  const parts = [];
  for (const [k, v] of Object.entries(query)) {
    for (const x of Array.isArray(v) ? v : [v]) parts.push(`${encodeURIComponent(k)}=${encodeURIComponent(x)}`);
  }
  return parts.length ? `?${parts.join("&")}` : "";
}

/** Measures this process's CPU time over a stretch of wall time; `share()` is CPU seconds per wall second. */
export function cpuMeter() {
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  return {
    share() {
      const c = process.cpuUsage(c0);
      return (c.user + c.system) / 1000 / (performance.now() - t0);
    },
  };
}

/**
 * Closed loop: `concurrency` clients each call `request(i)` (i counts all requests) back to back until `durationMs`
 * has passed. Returns request rate, latencies (ms), error count and the generator's CPU share.
 * @param {{ concurrency: number, durationMs: number, request: (i: number) => Promise<{ status: number }> }} o
 */
export async function closedLoop({ concurrency, durationMs, request }) {
  const latencies = [];
  let errors = 0;
  let firstError;
  let next = 0;
  const cpu = cpuMeter();
  const t0 = performance.now();
  const deadline = t0 + durationMs;
  const client = async () => {
    while (performance.now() < deadline) {
      const i = next++;
      const s = performance.now();
      try {
        const { status, text } = await request(i);
        if (status !== 200) {
          errors++;
          firstError ??= `${status} ${text?.slice(0, 200)}`;
        }
      } catch (e) {
        errors++;
        firstError ??= String(e);
      }
      latencies.push(performance.now() - s);
    }
  };
  await Promise.all(Array.from({ length: concurrency }, client));
  const wallMs = performance.now() - t0;
  return {
    count: latencies.length,
    rps: (latencies.length / wallMs) * 1000,
    latencies,
    errors,
    firstError,
    wallMs,
    cpuShare: cpu.share(),
  };
}

/** Runs `request(i)` `n` times one after another; returns the latencies (ms) and the generator's CPU share. */
export async function sequential(n, request) {
  const latencies = [];
  const cpu = cpuMeter();
  for (let i = 0; i < n; i++) {
    const s = performance.now();
    const { status, text } = await request(i);
    latencies.push(performance.now() - s);
    if (status !== 200) throw new Error(`request ${i} → ${status}: ${text?.slice(0, 300)}`);
  }
  return { latencies, cpuShare: cpu.share() };
}

/** Runs `task(i)` for i in [0, n) with at most `concurrency` in flight; stops starting new ones after `deadline`. */
export async function parallel(n, concurrency, task, deadline = Number.POSITIVE_INFINITY) {
  let next = 0;
  let done = 0;
  const worker = async () => {
    while (next < n && performance.now() < deadline) {
      const i = next++;
      await task(i);
      done++;
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, n) }, worker));
  return done;
}

export function percentile(xs, p) {
  if (xs.length === 0) return Number.NaN;
  const s = [...xs].sort((a, b) => a - b);
  const idx = Math.min(s.length - 1, Math.max(0, Math.ceil((p / 100) * s.length) - 1));
  return s[idx];
}

export const median = (xs) => percentile(xs, 50);

/** A small deterministic PRNG (mulberry32), so both servers are seeded with identical data. */
export function rng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
