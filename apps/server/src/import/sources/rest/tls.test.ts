import { afterEach, describe, expect, it } from "vitest";
import { applyTrackingTls } from "./tls.js";

describe("MLflow's TLS variables", () => {
  const saved = { tls: process.env.NODE_TLS_REJECT_UNAUTHORIZED, ca: process.env.NODE_EXTRA_CA_CERTS };
  afterEach(() => {
    for (const [k, v] of [
      ["NODE_TLS_REJECT_UNAUTHORIZED", saved.tls],
      ["NODE_EXTRA_CA_CERTS", saved.ca],
    ] as const) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
  });

  it("turns certificate checks off for MLFLOW_TRACKING_INSECURE_TLS, on https only", () => {
    delete process.env.NODE_TLS_REJECT_UNAUTHORIZED;
    applyTrackingTls("http://h", { MLFLOW_TRACKING_INSECURE_TLS: "true" });
    expect(process.env.NODE_TLS_REJECT_UNAUTHORIZED).toBeUndefined();
    applyTrackingTls("https://h", { MLFLOW_TRACKING_INSECURE_TLS: "false" });
    expect(process.env.NODE_TLS_REJECT_UNAUTHORIZED).toBeUndefined();
    applyTrackingTls("https://h", { MLFLOW_TRACKING_INSECURE_TLS: "true" });
    expect(process.env.NODE_TLS_REJECT_UNAUTHORIZED).toBe("0");
  });

  it("asks for NODE_EXTRA_CA_CERTS when MLFLOW_TRACKING_SERVER_CERT_PATH is set without it", () => {
    delete process.env.NODE_EXTRA_CA_CERTS;
    const env = { MLFLOW_TRACKING_SERVER_CERT_PATH: "/ca.pem" };
    expect(() => applyTrackingTls("https://h", env)).toThrow("NODE_EXTRA_CA_CERTS=/ca.pem");
    expect(() => applyTrackingTls("http://h", env)).not.toThrow();
    process.env.NODE_EXTRA_CA_CERTS = "/ca.pem";
    expect(() => applyTrackingTls("https://h", env)).not.toThrow();
  });
});
