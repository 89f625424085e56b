import { endpoints } from "@tracklite/schemas";
import { describe, expect, it } from "vitest";
import { useAuthApp } from "./auth.test-helpers.js";
import { buildRouteTable, findRoute, proxyChildTypes } from "./route-table.js";
import { RULES } from "./rules.js";

const t = useAuthApp();

/** A concrete path for a route pattern: `:param` and `*` segments filled in. */
const sample = (path: string) => path.replace(/:(\w+)/g, "x1").replace(/\*$/, "1/abc/artifacts/f.txt");

describe("the permission table", () => {
  it("has a rule for every route the app serves", () => {
    const table = buildRouteTable();
    const missing: string[] = [];
    let checked = 0;
    for (const r of t.app.routes) {
      if (r.method === "ALL") continue; // middleware and the 405 answers
      checked++;
      if (!findRoute(table, r.method, sample(r.path))) missing.push(`${r.method} ${r.path}`);
    }
    expect(checked).toBeGreaterThan(150);
    // Only the 3.0 twins of 2.0 routes go without a rule (the reference has no such routes: refused to non-admins).
    expect(missing.filter((m) => !m.includes("/3.0/"))).toEqual([]);
    expect(missing).toContain("GET /api/3.0/mlflow/experiments/get");
  });

  it("names a rule for every endpoint of the shared table", () => {
    for (const name of Object.keys(endpoints)) expect(RULES[name as keyof typeof RULES], name).toBeDefined();
  });

  it("serves the grant and role routes under /api/3.0 only, and the user routes under /api/2.0", () => {
    const table = buildRouteTable();
    expect(findRoute(table, "POST", "/api/3.0/mlflow/users/permissions/grant")?.route.name).toBe("grantUserPermission");
    expect(findRoute(table, "POST", "/api/2.0/mlflow/users/permissions/grant")).toBeUndefined();
    expect(findRoute(table, "POST", "/ajax-api/2.0/mlflow/users/create")?.route.name).toBe("createUser");
    expect(findRoute(table, "POST", "/api/3.0/mlflow/users/create")).toBeUndefined();
  });

  it("rules the 3.0 routes under 3.0, and the 2.0 ones under 2.0 alone, as the reference serves them", () => {
    const table = buildRouteTable();
    expect(findRoute(table, "GET", "/api/2.0/mlflow/experiments/get")?.route.name).toBe("getExperiment");
    expect(findRoute(table, "GET", "/api/3.0/mlflow/experiments/get")).toBeUndefined();
    expect(findRoute(table, "GET", "/ajax-api/3.0/mlflow/registered-models/get")).toBeUndefined();
    expect(findRoute(table, "GET", "/api/3.0/mlflow-artifacts/artifacts/1/f.txt")).toBeUndefined();
    expect(findRoute(table, "GET", "/api/3.0/mlflow/workspaces")?.route.name).toBe("listWorkspaces");
    expect(findRoute(table, "GET", "/api/3.0/mlflow/server-info")?.route.rule).toBe("open");
    expect(findRoute(table, "GET", "/static-files/lib/notebook-trace-renderer/index.html")?.route.rule).toBe("open");
    expect(findRoute(table, "GET", "/static-files/lib/other/index.html")).toBeUndefined();
  });

  it("rules the trace routes at the versions the reference serves them", () => {
    const table = buildRouteTable();
    const name = (method: string, path: string) => findRoute(table, method, path)?.route.name;
    for (const v of ["2.0", "3.0"]) {
      expect(name("PATCH", `/api/${v}/mlflow/traces/tr-1/tags`)).toBe("setTraceTag");
      expect(name("DELETE", `/ajax-api/${v}/mlflow/traces/tr-1/tags`)).toBe("deleteTraceTag");
      expect(name("POST", `/api/${v}/mlflow/traces/delete-traces`)).toBe("deleteTraces");
      expect(name("GET", `/ajax-api/${v}/mlflow/get-trace-artifact`)).toBe("getTraceArtifact");
    }
    expect(name("POST", "/api/2.0/mlflow/traces/link-to-run")).toBe("linkTracesToRun");
    expect(name("POST", "/api/3.0/mlflow/traces/link-to-run")).toBeUndefined();
    expect(name("GET", "/api/3.0/mlflow/traces/get")).toBe("getTrace");
    expect(name("GET", "/api/3.0/mlflow/traces/tr-1")).toBe("getTraceInfoV3");
    expect(name("GET", "/api/2.0/mlflow/traces/tr-1/info")).toBe("getTraceInfoV2");
    expect(name("PATCH", "/api/2.0/mlflow/traces/tr-1")).toBe("endTraceV2");
    expect(name("POST", "/api/2.0/mlflow/traces")).toBe("startTraceV2");
    expect(name("POST", "/api/3.0/mlflow/traces")).toBe("startTraceV3");
    expect(name("POST", "/v1/traces")).toBe("otlpTraces");
    expect(name("GET", "/api/2.0/mlflow/get-trace-artifact")).toBeUndefined();
  });

  it("knows a logged model's file download as an ajax route only, as the reference does", () => {
    const table = buildRouteTable();
    const files = "/mlflow/logged-models/m-1/artifacts/files";
    expect(findRoute(table, "GET", `/ajax-api/2.0${files}`)?.route.name).toBe("getLoggedModelArtifact");
    expect(findRoute(table, "GET", `/api/2.0${files}`)).toBeUndefined();
    expect(findRoute(table, "GET", "/api/2.0/mlflow/logged-models/m-1/artifacts/directories")).toBeDefined();
  });

  it("judges proxied artifact paths by the tier they lie in", () => {
    expect(proxyChildTypes("1/0123456789abcdef0123456789abcdef/artifacts/a.txt", false)).toEqual(["run"]);
    expect(proxyChildTypes("1/models/m-1/artifacts/model.pkl", false)).toEqual(["logged_model"]);
    expect(proxyChildTypes("1/notes.txt", false)).toEqual([]);
    expect(proxyChildTypes("1", true)).toEqual(["run", "trace", "logged_model"]);
  });
});
