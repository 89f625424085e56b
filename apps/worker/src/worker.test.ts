import { existsSync, readFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Sqld, startSqld } from "../../../packages/server/src/store/sqld.test-helpers.js";
import { runNode } from "../../server/src/cli-run.test-helpers.js";
import {
  CLI,
  ROOT,
  type Started,
  startS3rver,
  startWrangler,
  tempDir,
  WORKER_DIR,
  wranglerEnv,
} from "./local-stack.test-helpers.js";

/**
 * tracklite on Cloudflare Workers, for real: `wrangler dev` (workerd) over sqld and s3rver, spoken to over HTTP.
 * The tests run in order: the Worker first meets a database nobody has migrated.
 */
const BUCKET = "worker-test";
const JOURNAL = JSON.parse(readFileSync(join(ROOT, "packages/server/drizzle/meta/_journal.json"), "utf8")) as {
  entries: { tag: string }[];
};

/** Webhook deliveries the receiver got, answered after `delayMs` (so the API's answer is known to come first). */
interface Receiver {
  url: string;
  got: { at: number; event: string; deliveryId: string }[];
  server: Server;
}

function startReceiver(delayMs: number): Promise<Receiver> {
  const got: Receiver["got"] = [];
  const server = createServer((req, res) => {
    let body = "";
    req.on("data", (d) => {
      body += d;
    });
    req.on("end", () => {
      const { entity, action } = JSON.parse(body) as { entity: string; action: string };
      got.push({
        at: Date.now(),
        event: `${entity}.${action}`,
        deliveryId: String(req.headers["x-mlflow-delivery-id"] ?? ""),
      });
      setTimeout(() => res.writeHead(200).end("ok"), delayMs);
    });
  });
  return new Promise((resolve) =>
    server.listen(0, "127.0.0.1", () =>
      resolve({ url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, got, server }),
    ),
  );
}

describe("the Worker under wrangler dev, over sqld and s3rver", { timeout: 60_000 }, () => {
  const tmp = tempDir("tracklite-worker-");
  let sqld: Sqld;
  let s3: Started & { endpoint: string };
  let worker: Started & { url: string };
  let receiver: Receiver;

  const api = async (method: string, path: string, body?: unknown) => {
    const res = await fetch(`${worker.url}${path}`, {
      method,
      ...(body === undefined ? {} : { headers: { "Content-Type": "application/json" }, body: JSON.stringify(body) }),
    });
    const text = await res.text();
    return { status: res.status, text, json: () => JSON.parse(text) as Record<string, unknown> };
  };

  beforeAll(async () => {
    sqld = await startSqld({ dir: tmp.dir });
    s3 = await startS3rver(join(tmp.dir, "s3"), BUCKET);
    receiver = await startReceiver(1500);
    worker = await startWrangler(
      {
        MLFLOW_BACKEND_STORE_URI: sqld.url,
        MLFLOW_ARTIFACTS_DESTINATION: `s3://${BUCKET}/artifacts`,
        MLFLOW_S3_ENDPOINT_URL: s3.endpoint,
        AWS_ACCESS_KEY_ID: "S3RVER",
        AWS_SECRET_ACCESS_KEY: "S3RVER",
        AWS_DEFAULT_REGION: "us-east-1",
        MLFLOW_WEBHOOK_ALLOWED_SCHEMES: "http,https",
        MLFLOW_WEBHOOK_ALLOW_PRIVATE_IPS: "true",
      },
      join(tmp.dir, "wrangler-state"),
    );
  }, 180_000);

  afterAll(async () => {
    await worker?.stop();
    await sqld?.stop();
    await s3?.stop();
    await new Promise((r) => (receiver ? receiver.server.close(r) : r(undefined)));
    tmp.remove();
  }, 30_000);

  it("refuses with MLflow's 503 while the schema is behind, naming tracklite db upgrade", async () => {
    const res = await api("GET", "/api/2.0/mlflow/experiments/search?max_results=10");
    expect(res.status).toBe(503);
    const body = res.json();
    expect(body.error_code).toBe("TEMPORARILY_UNAVAILABLE");
    expect(body.message).toContain("Detected out-of-date database schema (found version none (an empty database)");
    expect(body.message).toContain(`expected ${JOURNAL.entries.at(-1)?.tag}`);
    expect(body.message).toContain("run 'tracklite db upgrade <database_uri>'");
    // Nothing was migrated behind the operator's back.
    const tables = await fetch(`${sqld.url}/v2/pipeline`, {
      method: "POST",
      body: JSON.stringify({
        requests: [{ type: "execute", stmt: { sql: "SELECT count(*) FROM sqlite_master WHERE type = 'table'" } }],
      }),
    }).then((r) => r.json() as Promise<{ results: { response: { result: { rows: { value: string }[][] } } }[] }>);
    expect(tables.results[0]?.response.result.rows[0]?.[0]?.value).toBe("0");
  });

  it("serves once `tracklite db upgrade` has run, without a restart", async () => {
    const first = await runNode(CLI, ["db", "upgrade", sqld.url]);
    expect(first.stderr).toBe("");
    expect(first.stdout).toBe(
      `${sqld.url}: applied ${JOURNAL.entries.length} migrations (${JOURNAL.entries.length} in all).\n`,
    );
    expect(first.status).toBe(0);
    const again = await runNode(CLI, ["db", "upgrade", sqld.url]);
    expect(again.stdout).toBe(`${sqld.url}: already up to date (${JOURNAL.entries.length} in all).\n`);
    const res = await api("POST", "/api/2.0/mlflow/experiments/create", { name: "on-workers" });
    expect(res.status).toBe(200);
    expect(res.json().experiment_id).toBe("1");
    expect((await api("GET", "/health")).text).toBe("OK");
  });

  it("serves the web UI at / and its hashed assets", async () => {
    const index = await fetch(`${worker.url}/`);
    expect(index.status).toBe(200);
    expect(index.headers.get("cache-control")).toBe("no-cache");
    const html = await index.text();
    expect(html).toBe(readFileSync(join(ROOT, "apps/ui/dist/index.html"), "utf8"));
    const asset = /(\/assets\/[^"]+\.js)"/.exec(html)?.[1] as string;
    const js = await fetch(`${worker.url}${asset}`);
    expect(js.status).toBe(200);
    expect(js.headers.get("cache-control")).toBe("public, max-age=31536000, immutable");
    expect(await js.text()).toBe(readFileSync(join(ROOT, "apps/ui/dist", asset), "utf8"));
    // Other paths stay the API's: an unknown one is its JSON 404.
    const missing = await fetch(`${worker.url}/assets/nope.js`);
    expect(missing.status).toBe(404);
  });

  it("proxies artifact uploads into the bucket", async () => {
    const up = await fetch(`${worker.url}/api/2.0/mlflow-artifacts/artifacts/1/r/artifacts/note.txt`, {
      method: "PUT",
      body: "from the worker",
    });
    expect(up.status).toBe(200);
    const direct = await fetch(`${s3.endpoint}/${BUCKET}/artifacts/1/r/artifacts/note.txt`);
    expect(await direct.text()).toBe("from the worker");
    const back = await fetch(`${worker.url}/api/2.0/mlflow-artifacts/artifacts/1/r/artifacts/note.txt`);
    expect(await back.text()).toBe("from the worker");
  });

  it("hands out presigned multipart URLs, so a large file's bytes go to the bucket, not through the Worker", async () => {
    const path = "/api/2.0/mlflow-artifacts/mpu";
    const created = await api("POST", `${path}/create/1/r/artifacts`, { path: "big.bin", num_parts: 2 });
    expect(created.status).toBe(200);
    const { upload_id, credentials } = created.json() as {
      upload_id: string;
      credentials: { url: string; part_number: number }[];
    };
    expect(credentials.map((c) => c.part_number)).toEqual([1, 2]);
    const parts = [new Uint8Array(5 * 1024 * 1024).fill(7), new Uint8Array(1000).fill(9)];
    const etags: string[] = [];
    for (const [i, cred] of credentials.entries()) {
      expect(cred.url.startsWith(`${s3.endpoint}/`)).toBe(true);
      const res = await fetch(cred.url, { method: "PUT", body: parts[i] });
      expect(res.status).toBe(200);
      etags.push(res.headers.get("etag") ?? "");
    }
    const done = await api("POST", `${path}/complete/1/r/artifacts`, {
      path: "big.bin",
      upload_id,
      parts: credentials.map((c, i) => ({ part_number: c.part_number, etag: etags[i], url: c.url })),
    });
    expect(done.status).toBe(200);
    const back = await fetch(`${worker.url}/api/2.0/mlflow-artifacts/artifacts/1/r/artifacts/big.bin`);
    const got = await back.arrayBuffer();
    expect(got.byteLength, new TextDecoder().decode(got.slice(0, 300))).toBe(5 * 1024 * 1024 + 1000);
  });

  it("delivers webhooks after the answer (waitUntil)", async () => {
    const hook = await api("POST", "/api/2.0/mlflow/webhooks", {
      name: "on-workers",
      url: `${receiver.url}/hook`,
      events: [{ entity: "REGISTERED_MODEL", action: "CREATED" }],
    });
    expect(hook.status, hook.text).toBe(200);
    const started = Date.now();
    const created = await api("POST", "/api/2.0/mlflow/registered-models/create", { name: "edge-model" });
    const answeredAt = Date.now();
    expect(created.status).toBe(200);
    for (let i = 0; i < 100 && receiver.got.length === 0; i++) await new Promise((r) => setTimeout(r, 100));
    expect(receiver.got).toHaveLength(1);
    expect(receiver.got[0]?.event).toBe("registered_model.created");
    expect(receiver.got[0]?.deliveryId).not.toBe("");
    // The receiver takes 1.5 s to answer: the API did not wait for it.
    expect(answeredAt - started).toBeLessThan(1500);
  });
});

describe("wrangler deploy --dry-run", () => {
  it("bundles the Worker from the built packages", async () => {
    const out = tempDir("tracklite-worker-bundle-");
    try {
      const env = { ...wranglerEnv() };
      // The deployable bundle: from dist/, as a user's `wrangler deploy` after `npm run build` makes it.
      delete env.WRANGLER_BUILD_CONDITIONS;
      const r = await runNode(
        join(ROOT, "node_modules/wrangler/bin/wrangler.js"),
        ["deploy", "--dry-run", "--outdir", out.dir, "--config", join(WORKER_DIR, "wrangler.jsonc")],
        { cwd: WORKER_DIR, env, timeoutMs: 120_000 },
      );
      expect(r.status, r.stdout + r.stderr).toBe(0);
      expect(r.stdout).toContain("--dry-run: exiting now.");
      expect(existsSync(join(out.dir, "index.js"))).toBe(true);
    } finally {
      out.remove();
    }
  }, 150_000);
});
