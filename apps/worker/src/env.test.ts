import { describe, expect, it } from "vitest";
import { readSettings, stringVars } from "./env.js";

describe("the Worker's settings", () => {
  const base = { MLFLOW_BACKEND_STORE_URI: "libsql://db-org.turso.io", MLFLOW_ARTIFACTS_DESTINATION: "s3://b/p" };

  it("takes MLflow's names, the token from LIBSQL_AUTH_TOKEN or TURSO_AUTH_TOKEN", () => {
    expect(readSettings({ ...base, TURSO_AUTH_TOKEN: "t" })).toEqual({
      backendStoreUri: "libsql://db-org.turso.io",
      authToken: "t",
      artifactsDestination: "s3://b/p",
      defaultArtifactRoot: "mlflow-artifacts:/",
    });
    expect(readSettings({ ...base, LIBSQL_AUTH_TOKEN: "a", TURSO_AUTH_TOKEN: "b" })).toMatchObject({ authToken: "a" });
    expect(readSettings({ ...base, MLFLOW_DEFAULT_ARTIFACT_ROOT: "s3://b/runs" })).toMatchObject({
      defaultArtifactRoot: "s3://b/runs",
    });
  });

  it("refuses stores a Worker cannot use, saying why", () => {
    for (const url of ["file:./mlruns/tracklite.db", "ws://127.0.0.1:8080", "sqlite:///x.db", ""]) {
      const r = readSettings({ ...base, MLFLOW_BACKEND_STORE_URI: url });
      expect(r).toEqual({ error: expect.stringContaining("MLFLOW_BACKEND_STORE_URI must be a libsql://") });
    }
    for (const dest of ["./mlruns/artifacts", "s3://", "gs://b/p"]) {
      const r = readSettings({ ...base, MLFLOW_ARTIFACTS_DESTINATION: dest });
      expect(r).toEqual({ error: expect.stringContaining("MLFLOW_ARTIFACTS_DESTINATION must be s3://bucket/prefix") });
    }
  });

  it("reads only the string bindings", () => {
    expect(stringVars({ A: "1", ASSETS: { fetch() {} }, N: 2 })).toEqual({ A: "1" });
  });
});
