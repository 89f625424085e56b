import { type Route, routes } from "@tracklite/schemas";
import { Hono } from "hono";
import { describe, expect, it } from "vitest";
import { useTestApp } from "../testing.test-helpers.js";
import { fnmatchRegExp, patternMatcher } from "./fnmatch.js";
import { CORS_BLOCKED_MSG, INVALID_HOST_MSG, type SecurityOptions, securityMiddleware } from "./security.js";

const EVIL = "https://evil.example";

/** Every served state-changing route of the endpoint table, with a concrete path, under each prefix it lives at. */
function stateChangingRoutes(): { method: string; path: string }[] {
  const out: { method: string; path: string }[] = [];
  for (const route of Object.values(routes) as Route[]) {
    const path = route.path.replace(/:[a-z_]+/g, "x");
    const prefixes = route.ajaxOnly ? ["/ajax-api/2.0"] : ["/api/2.0", "/api/3.0", "/ajax-api/2.0", "/ajax-api/3.0"];
    for (const method of route.methods) {
      if (method === "GET") continue;
      for (const prefix of prefixes) out.push({ method, path: prefix + path });
    }
  }
  // Routes outside the table: the artifact proxy, the UI's upload, GraphQL, OTLP.
  out.push(
    { method: "PUT", path: "/api/2.0/mlflow-artifacts/artifacts/0/x.txt" },
    { method: "DELETE", path: "/api/2.0/mlflow-artifacts/artifacts/0/x.txt" },
    { method: "POST", path: "/ajax-api/2.0/mlflow/upload-artifact?run_uuid=x&path=x.txt" },
    { method: "POST", path: "/graphql" },
    { method: "POST", path: "/v1/traces" },
  );
  return out;
}

describe("security middleware on the whole app", () => {
  const t = useTestApp();

  it("refuses every state-changing route from a foreign origin, and nothing changes", async () => {
    const before = await t.call("POST", "/experiments/search", { max_results: 1000 });
    const list = stateChangingRoutes();
    expect(list.length).toBeGreaterThan(100);
    for (const { method, path } of list) {
      for (const origin of [EVIL, "null", "http://192.168.1.9:5000"]) {
        const res = await t.app.request(path, {
          method,
          headers: { Origin: origin, "Content-Type": "text/plain" },
          body: JSON.stringify({ name: "pwned", experiment_id: "0", run_id: "x" }),
        });
        expect(`${method} ${path} ${origin}: ${res.status}`).toBe(`${method} ${path} ${origin}: 403`);
        expect(await res.text()).toBe(CORS_BLOCKED_MSG);
      }
    }
    expect(await t.call("POST", "/experiments/search", { max_results: 1000 })).toEqual(before);
  });

  it("lets same-origin, loopback and origin-less writes through", async () => {
    const create = (name: string, headers: Record<string, string>) =>
      t.app.request("http://localhost:5000/api/2.0/mlflow/experiments/create", {
        method: "POST",
        headers: { "Content-Type": "application/json", ...headers },
        body: JSON.stringify({ name }),
      });
    expect((await create("no-origin", {})).status).toBe(200);
    expect((await create("loopback", { Origin: "http://127.0.0.1:3000" })).status).toBe(200);
    expect((await create("https-localhost", { Origin: "https://localhost" })).status).toBe(200);
    // the UI opened at a LAN address writes to its own server
    const lan = { Host: "192.168.1.20:5000", Origin: "http://192.168.1.20:5000" };
    expect((await create("lan", lan)).status).toBe(200);
    // ...but not another machine's page on the same network
    expect((await create("lan-other", { ...lan, Origin: "http://192.168.1.21:5000" })).status).toBe(403);
  });

  it("refuses foreign Host headers everywhere but /health and /version", async () => {
    for (const path of ["/api/2.0/mlflow/experiments/search", "/", "/get-artifact?path=x&run_uuid=x", "/nope"]) {
      const res = await t.app.request(path, { headers: { Host: "attacker.example" } });
      expect(res.status).toBe(403);
      expect(await res.text()).toBe(INVALID_HOST_MSG);
    }
    for (const path of ["/health", "/version"]) {
      expect((await t.app.request(path, { headers: { Host: "attacker.example" } })).status).toBe(200);
    }
    for (const host of ["localhost", "localhost:5000", "127.0.0.1:1", "[::1]:5000", "10.1.2.3:5000", "172.20.0.1"]) {
      const res = await t.app.request("/api/2.0/mlflow/experiments/get?experiment_id=0", { headers: { Host: host } });
      expect(`${host} ${res.status}`).toBe(`${host} 200`);
    }
    // The private-range patterns (`10.*`, `192.168.*`) match addresses only: `10.evil.example` is a DNS name an
    // attacker can point at a victim's LAN, and the reference lets it through.
    const rebinding = ["10.evil.example", "10.0.0.1.nip.io:5000", "192.168.1.2.attacker.example", "localhost:x"];
    for (const host of ["172.32.0.1", "localhost.attacker.example", "", "127.0.0.1.nip.io:5000", ...rebinding]) {
      const res = await t.app.request("/api/2.0/mlflow/experiments/get?experiment_id=0", { headers: { Host: host } });
      expect(`${host} ${res.status}`).toBe(`${host} 403`);
    }
  });

  it("takes an --allowed-hosts list as written", async () => {
    const app = new Hono();
    app.use(securityMiddleware({ allowedHosts: ["*.corp.example", "10.*"] }));
    app.get("/x", (c) => c.text("ok"));
    for (const host of ["ml.corp.example", "10.internal"]) {
      expect((await app.request("/x", { headers: { Host: host } })).status).toBe(200);
    }
  });

  it("puts the security headers on every answer, errors and 404s included", async () => {
    for (const path of ["/health", "/api/2.0/mlflow/experiments/get?experiment_id=0", "/api/2.0/mlflow/nope"]) {
      const res = await t.app.request(path);
      expect(res.headers.get("X-Frame-Options")).toBe("SAMEORIGIN");
      expect(res.headers.get("X-Content-Type-Options")).toBe("nosniff");
    }
  });

  it("needs application/json on POST bodies, as the reference", async () => {
    const post = (headers: Record<string, string>) =>
      t.app.request("/api/2.0/mlflow/experiments/create", {
        method: "POST",
        headers,
        body: JSON.stringify({ name: "ctype" }),
      });
    expect(await (await post({ "Content-Type": "text/plain" })).json()).toMatchObject({
      error_code: "INVALID_PARAMETER_VALUE",
      message: "Bad Request. Content-Type must be one of ['application/json'].",
    });
    const missing = await t.app.request("/api/2.0/mlflow/experiments/create", {
      method: "POST",
      body: new Blob([JSON.stringify({ name: "ctype" })]),
    });
    expect(missing.status).toBe(400);
    expect((await missing.json()).message).toBe("Bad Request. Content-Type header is missing.");
    expect((await post({ "Content-Type": "application/json; charset=utf-8" })).status).toBe(200);
  });

  it("answers CORS preflights as Starlette does for MLflow", async () => {
    const preflight = (origin: string, method = "POST", headers?: string) =>
      t.app.request("/api/2.0/mlflow/experiments/create", {
        method: "OPTIONS",
        headers: {
          Origin: origin,
          "Access-Control-Request-Method": method,
          ...(headers ? { "Access-Control-Request-Headers": headers } : {}),
        },
      });
    const ok = await preflight("http://localhost:3000", "POST", "content-type,x-foo");
    expect(ok.status).toBe(200);
    expect(await ok.text()).toBe("OK");
    expect(ok.headers.get("Access-Control-Allow-Origin")).toBe("http://localhost:3000");
    expect(ok.headers.get("Access-Control-Allow-Headers")).toBe("content-type,x-foo");
    expect(ok.headers.get("Access-Control-Allow-Credentials")).toBe("true");
    const evil = await preflight(EVIL);
    expect(evil.status).toBe(400);
    expect(await evil.text()).toBe("Disallowed CORS origin");
    expect(evil.headers.get("Access-Control-Allow-Origin")).toBeNull();
    expect(await (await preflight("http://localhost:3000", "TRACE")).text()).toBe("Disallowed CORS method");
    const bare = await t.app.request("/api/2.0/mlflow/experiments/create", { method: "OPTIONS" });
    expect(bare.status).toBe(204);
    expect(bare.headers.get("Allow")).toBe("POST, OPTIONS");
  });
});

describe("security settings", () => {
  const app = (options: SecurityOptions) => {
    const a = new Hono();
    a.use(securityMiddleware(options));
    a.all("*", (c) => c.text("served"));
    return a;
  };
  const post = (a: Hono, headers: Record<string, string>) =>
    a.request("http://localhost/api/2.0/mlflow/runs/create", { method: "POST", headers });

  it("--allowed-hosts replaces the defaults, exact unless it has a wildcard", async () => {
    const a = app({ allowedHosts: ["mlflow.example.com:5000", "*.corp.example"] });
    expect((await a.request("/x", { headers: { Host: "mlflow.example.com:5000" } })).status).toBe(200);
    expect((await a.request("/x", { headers: { Host: "mlflow.example.com" } })).status).toBe(403);
    expect((await a.request("/x", { headers: { Host: "ci.corp.example" } })).status).toBe(200);
    expect((await a.request("/x", { headers: { Host: "localhost:5000" } })).status).toBe(403);
    expect((await app({ allowedHosts: ["*"] }).request("/x", { headers: { Host: "a.b" } })).status).toBe(200);
  });

  it("--cors-allowed-origins adds to the localhost origins; * allows any without credentials", async () => {
    const a = app({ corsAllowedOrigins: ["https://app.example.com", "https://*.tools.example"] });
    expect((await post(a, { Origin: "https://app.example.com" })).headers.get("Access-Control-Allow-Origin")).toBe(
      "https://app.example.com",
    );
    // a wildcard lets the write through, and (as in Starlette) earns no Allow-Origin
    const wild = await post(a, { Origin: "https://x.tools.example" });
    expect(wild.status).toBe(200);
    expect(wild.headers.get("Access-Control-Allow-Origin")).toBeNull();
    expect((await post(a, { Origin: "http://localhost:8888" })).status).toBe(200);
    expect((await post(a, { Origin: EVIL })).status).toBe(403);
    const any = await post(app({ corsAllowedOrigins: ["*"] }), { Origin: EVIL });
    expect(any.status).toBe(200);
    expect(any.headers.get("Access-Control-Allow-Origin")).toBe("*");
    expect(any.headers.get("Access-Control-Allow-Credentials")).toBeNull();
  });

  it("--x-frame-options and --disable-security-middleware", async () => {
    expect((await app({ xFrameOptions: "deny" }).request("/x")).headers.get("X-Frame-Options")).toBe("DENY");
    expect((await app({ xFrameOptions: "NONE" }).request("/x")).headers.get("X-Frame-Options")).toBeNull();
    const off = app({ disabled: true });
    expect((await off.request("/x", { headers: { Host: "attacker.example" } })).status).toBe(200);
    expect((await post(off, { Origin: EVIL })).status).toBe(200);
    expect((await off.request("/x")).headers.get("X-Content-Type-Options")).toBeNull();
  });
});

describe("fnmatch", () => {
  it("reads patterns as Python's fnmatchcase", () => {
    expect(fnmatchRegExp("172.1?.*").test("172.16.0.1")).toBe(true);
    expect(fnmatchRegExp("[[]::1]:*").test("[::1]:5000")).toBe(true);
    expect(fnmatchRegExp("host[!0-9]").test("hosta")).toBe(true);
    expect(fnmatchRegExp("host[!0-9]").test("host1")).toBe(false);
    expect(fnmatchRegExp("a.b").test("axb")).toBe(false);
    expect(fnmatchRegExp("Host").test("host")).toBe(false);
    expect(fnmatchRegExp("[abc").test("[abc")).toBe(true);
    expect(patternMatcher(["a.example", "*.b.example"])("x.b.example")).toBe(true);
    expect(patternMatcher(["a.example"])("b.example")).toBe(false);
  });
});
