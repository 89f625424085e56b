import { createServer, type IncomingMessage, type Server } from "node:http";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { MlflowClient } from "./client.js";
import { MlflowApiError } from "./errors.js";
import { freePort } from "./testing/servers.test-helpers.js";
import { encodeJson, encodeQuery, parseJson, Transport } from "./transport.js";

/** A real HTTP server whose answers each test scripts: a queue of [status, body, headers]. */
let server: Server;
let url: string;
let script: [number, string, Record<string, string>?][] = [];
const seen: { method: string; url: string; headers: IncomingMessage["headers"]; body: string; at: number }[] = [];

beforeAll(async () => {
  server = createServer((req, res) => {
    let body = "";
    req.on("data", (d) => {
      body += d;
    });
    req.on("end", () => {
      seen.push({ method: req.method ?? "", url: req.url ?? "", headers: req.headers, body, at: Date.now() });
      const [status, text, headers] = script.shift() ?? [200, "{}"];
      res.writeHead(status, { "content-type": "application/json", ...headers });
      res.end(text);
    });
  });
  const port = await freePort();
  await new Promise<void>((r) => server.listen(port, "127.0.0.1", r));
  url = `http://127.0.0.1:${port}`;
});
afterAll(() => new Promise<void>((r) => server.close(() => r())));
afterEach(() => {
  script = [];
  seen.length = 0;
});

const fast = { backoffFactor: 0, backoffJitter: 0 };

describe("retries", () => {
  it("retries 429 and 5xx answers like MLflow's client, then succeeds", async () => {
    script = [
      [503, "busy"],
      [500, "{}"],
      [429, "{}"],
      [200, '{"experiment": {"experiment_id": "7"}}'],
    ];
    const client = new MlflowClient({ trackingUri: url, maxRetries: 3, ...fast });
    const e = await client.getExperiment("7");
    expect(e.experiment_id).toBe("7");
    expect(seen).toHaveLength(4);
  });

  it("gives up after maxRetries with the last answer's error", async () => {
    script = Array.from({ length: 5 }, () => [503, '{"error_code": "TEMPORARILY_UNAVAILABLE", "message": "later"}']);
    const client = new MlflowClient({ trackingUri: url, maxRetries: 2, ...fast });
    const err = await client.getExperiment("1").catch((e: unknown) => e);
    expect(err).toBeInstanceOf(MlflowApiError);
    expect(err).toMatchObject({
      errorCode: "TEMPORARILY_UNAVAILABLE",
      status: 503,
      message: expect.stringContaining("later"),
    });
    expect(seen).toHaveLength(3);
  });

  it("never retries a client error", async () => {
    script = [[400, '{"error_code": "INVALID_PARAMETER_VALUE", "message": "bad"}']];
    const client = new MlflowClient({ trackingUri: url, maxRetries: 5, ...fast });
    await expect(client.getExperiment("1")).rejects.toMatchObject({
      errorCode: "INVALID_PARAMETER_VALUE",
      status: 400,
    });
    expect(seen).toHaveLength(1);
  });

  it("waits as long as Retry-After says before retrying", async () => {
    script = [
      [429, "{}", { "Retry-After": "1" }],
      [200, "{}"],
    ];
    const client = new MlflowClient({ trackingUri: url, maxRetries: 1, ...fast });
    await client.deleteRun("r");
    expect(seen).toHaveLength(2);
    expect((seen[1]?.at ?? 0) - (seen[0]?.at ?? 0)).toBeGreaterThanOrEqual(950);
  });

  it("retries network errors and reports NETWORK_ERROR when the server never answers", async () => {
    const closed = `http://127.0.0.1:${await freePort()}`;
    const client = new MlflowClient({ trackingUri: closed, maxRetries: 2, ...fast });
    await expect(client.getRun("x")).rejects.toMatchObject({ errorCode: "NETWORK_ERROR", status: 0 });
  });

  it("keeps the body of an upload for every attempt", async () => {
    script = [
      [502, "{}"],
      [200, "{}"],
    ];
    const t = new Transport({ trackingUri: url, maxRetries: 1, ...fast });
    await t.request("PUT", "/2.0/mlflow-artifacts/artifacts/a.txt", { body: () => "payload" });
    expect(seen.map((s) => s.body)).toEqual(["payload", "payload"]);
  });
});

describe("requests", () => {
  it("sends GET requests as query strings with repeated keys, others as JSON", async () => {
    const client = new MlflowClient({ trackingUri: url, maxRetries: 0 });
    await client.getMetricHistoryBulkInterval(["a", "b"], "loss", { maxResults: 5 });
    await client.logMetric("r", "loss", Number.POSITIVE_INFINITY, { step: 2, timestamp: 3 });
    expect(seen[0]).toMatchObject({
      method: "GET",
      url: "/api/2.0/mlflow/metrics/get-history-bulk-interval?run_ids=a&run_ids=b&metric_key=loss&max_results=5",
    });
    expect(seen[1]?.method).toBe("POST");
    expect(JSON.parse(seen[1]?.body ?? "")).toMatchObject({ value: "Infinity", step: 2 });
    expect(seen[1]?.headers["content-type"]).toBe("application/json");
  });

  it("fills path parameters and uses the ajax prefix when asked", async () => {
    const client = new MlflowClient({ trackingUri: url, apiPrefix: "/ajax-api", maxRetries: 0 });
    await client.call("getLoggedModel", {}, { model_id: "m-1/2" });
    expect(seen[0]?.url).toBe("/ajax-api/2.0/mlflow/logged-models/m-1%2F2");
  });

  it("authenticates with MLflow's variables: basic auth over a token", async () => {
    const env = process.env;
    process.env = { ...env, MLFLOW_TRACKING_URI: url, MLFLOW_TRACKING_TOKEN: "tok" };
    try {
      await new MlflowClient({ maxRetries: 0 }).deleteRun("r");
      process.env.MLFLOW_TRACKING_USERNAME = "ada";
      process.env.MLFLOW_TRACKING_PASSWORD = "pw";
      await new MlflowClient({ maxRetries: 0 }).deleteRun("r");
    } finally {
      process.env = env;
    }
    expect(seen[0]?.headers.authorization).toBe("Bearer tok");
    expect(seen[1]?.headers.authorization).toBe(`Basic ${Buffer.from("ada:pw").toString("base64")}`);
  });

  it("refuses a tracking URI that is not a server", () => {
    expect(() => new MlflowClient({ trackingUri: "./mlruns" })).toThrow(/not an http/);
  });

  it("keeps MLflow's error body, and names non-MLflow failures by status", async () => {
    script = [
      [404, '{"error_code": "RESOURCE_DOES_NOT_EXIST", "message": "Run x not found"}'],
      [502, "<html>bad gateway</html>"],
    ];
    const client = new MlflowClient({ trackingUri: url, maxRetries: 0 });
    await expect(client.getRun("x")).rejects.toMatchObject({
      errorCode: "RESOURCE_DOES_NOT_EXIST",
      status: 404,
      body: { message: "Run x not found" },
    });
    await expect(client.getRun("x")).rejects.toMatchObject({ errorCode: "HTTP_502", status: 502 });
  });
});

describe("wire encoding", () => {
  it("writes non-finite doubles as protobuf JSON strings and reads Python's bare tokens", () => {
    expect(encodeJson({ a: Number.NaN, b: -Infinity, c: 1.5 })).toBe('{"a":"NaN","b":"-Infinity","c":1.5}');
    expect(parseJson('{"v": NaN, "w": -Infinity, "s": "NaN"}')).toEqual({ v: Number.NaN, w: -Infinity, s: "NaN" });
    expect(encodeQuery({ a: [1, 2], b: undefined, c: true })).toBe("a=1&a=2&c=true");
  });
});

describe("workspace", () => {
  it("sends the workspace option, else MLFLOW_WORKSPACE, as X-MLFLOW-WORKSPACE", async () => {
    await new Transport({ trackingUri: url, workspace: "team-a" }).json("GET", "/2.0/mlflow/experiments/search");
    const previous = process.env.MLFLOW_WORKSPACE;
    process.env.MLFLOW_WORKSPACE = "team-b";
    try {
      await new Transport({ trackingUri: url }).json("GET", "/2.0/mlflow/experiments/search");
    } finally {
      if (previous === undefined) delete process.env.MLFLOW_WORKSPACE;
      else process.env.MLFLOW_WORKSPACE = previous;
    }
    await new Transport({ trackingUri: url, workspace: "" }).json("GET", "/2.0/mlflow/experiments/search");
    expect(seen.map((s) => s.headers["x-mlflow-workspace"])).toEqual(["team-a", "team-b", undefined]);
  });
});
