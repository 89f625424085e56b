import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Hono } from "hono";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createApp } from "../app.js";
import { createLocalArtifactStore } from "../artifacts/local.js";
import { createStore, type Store } from "../store/index.js";

const LIMIT = 4096;
const dir = mkdtempSync(join(tmpdir(), "tracklite-body-limit-"));
let store: Store;
let app: Hono;
beforeAll(async () => {
  store = await createStore({ url: `file:${join(dir, "db")}`, defaultArtifactRoot: "mlflow-artifacts:/" });
  app = createApp({
    store,
    artifacts: createLocalArtifactStore(join(dir, "artifacts")),
    config: { mlflowVersion: "0.0.0-test", maxRequestBodyBytes: LIMIT },
  });
});
afterAll(() => {
  store.close();
  rmSync(dir, { recursive: true, force: true });
});

const api = "http://localhost/api/2.0/mlflow";
const json = (body: object) => JSON.stringify(body);

/** A body sent in chunks, without Content-Length (as `Transfer-Encoding: chunked`). */
function chunked(text: string, chunk = 1000): ReadableStream<Uint8Array> {
  const bytes = new TextEncoder().encode(text);
  let at = 0;
  return new ReadableStream({
    pull(controller) {
      if (at >= bytes.length) return controller.close();
      controller.enqueue(bytes.subarray(at, at + chunk));
      at += chunk;
    },
  });
}

async function send(path: string, body: string | ReadableStream<Uint8Array>, headers: Record<string, string> = {}) {
  const res = await app.request(`${api}${path}`, {
    method: "POST",
    headers: { "Content-Type": "application/json", ...headers },
    body,
    ...(typeof body === "string" ? {} : { duplex: "half" }),
  } as RequestInit);
  return { status: res.status, body: await res.json(), connection: res.headers.get("Connection") };
}

describe("the request body limit", () => {
  const big = json({ name: "x".repeat(LIMIT) });

  it("refuses a body whose Content-Length is over it with 413 and an MLflow error, before reading it", async () => {
    const r = await send("/experiments/create", big, { "Content-Length": String(big.length) });
    expect(r.status).toBe(413);
    expect(r.body).toMatchObject({ error_code: "INVALID_PARAMETER_VALUE" });
    expect(r.body.message).toContain(`${LIMIT} bytes`);
    expect(r.connection).toBe("close");
  });

  it("refuses a chunked body as soon as the bytes read pass it", async () => {
    const r = await send("/experiments/create", chunked(big));
    expect(r.status).toBe(413);
    expect(r.body.error_code).toBe("INVALID_PARAMETER_VALUE");
  });

  it("reads bodies under it, chunked or not", async () => {
    const small = json({ name: "small" });
    expect((await send("/experiments/create", small, { "Content-Length": String(small.length) })).status).toBe(200);
    expect((await send("/experiments/create", chunked(json({ name: "small2" }), 3))).status).toBe(200);
  });

  it("does not apply to artifact uploads, which stream to the store", async () => {
    const res = await app.request("http://localhost/api/2.0/mlflow-artifacts/artifacts/0/big.bin", {
      method: "PUT",
      body: "x".repeat(LIMIT * 4),
    });
    expect(res.status).toBe(200);
    const got = await app.request("http://localhost/api/2.0/mlflow-artifacts/artifacts/0/big.bin");
    expect((await got.arrayBuffer()).byteLength).toBe(LIMIT * 4);
  });
});
