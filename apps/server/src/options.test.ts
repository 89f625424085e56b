import { describe, expect, it } from "vitest";
import { HELP, isS3Uri, parseCommand } from "./options.js";

const destination = (argv: string[], env: Record<string, string> = {}) => {
  const command = parseCommand(["server", ...argv], env);
  return command.kind === "server" ? command.options.artifactsDestination : command;
};

describe("--artifacts-destination", () => {
  it("defaults to a local folder and takes a flag over MLFLOW_ARTIFACTS_DESTINATION", () => {
    expect(destination([])).toBe("./mlruns/artifacts");
    expect(destination([], { MLFLOW_ARTIFACTS_DESTINATION: "s3://env-bucket/a" })).toBe("s3://env-bucket/a");
    expect(
      destination(["--artifacts-destination", "s3://flag-bucket/mlflow"], {
        MLFLOW_ARTIFACTS_DESTINATION: "s3://env-bucket/a",
      }),
    ).toBe("s3://flag-bucket/mlflow");
  });

  it("tells S3 URIs from local folders", () => {
    for (const uri of ["s3://bucket", "s3://bucket/", "s3://my.bucket/deep/prefix"])
      expect(isS3Uri(uri), uri).toBe(true);
    for (const path of ["./mlruns/artifacts", "/srv/artifacts", "s3-cache/x", "file:///tmp/a", "gs://bucket/p"])
      expect(isS3Uri(path), path).toBe(false);
  });

  it("refuses a malformed s3 destination instead of making a local folder of it", () => {
    for (const uri of ["s3://", "s3:///prefix", "s3:bucket/p", "S3://bucket?x=1"]) {
      const result = destination(["--artifacts-destination", uri]);
      expect(result, uri).toMatchObject({ kind: "error", message: expect.stringContaining("s3://bucket/prefix") });
    }
  });

  it("is explained in the help", () => {
    expect(HELP).toContain("s3://bucket/prefix");
    expect(HELP).toContain("MLFLOW_S3_ENDPOINT_URL");
  });
});

describe("security flags", () => {
  const security = (argv: string[], env: Record<string, string> = {}) => {
    const command = parseCommand(["server", ...argv], env);
    return command.kind === "server" ? command.options.security : command;
  };

  it("are on with the reference's defaults", () => {
    expect(security([])).toEqual({ disabled: false });
  });

  it("take MLflow's flags over MLflow's variables", () => {
    const env = {
      MLFLOW_SERVER_ALLOWED_HOSTS: "env.example",
      MLFLOW_SERVER_CORS_ALLOWED_ORIGINS: "https://env.example",
      MLFLOW_SERVER_X_FRAME_OPTIONS: "DENY",
    };
    expect(security([], env)).toEqual({
      disabled: false,
      allowedHosts: ["env.example"],
      corsAllowedOrigins: ["https://env.example"],
      xFrameOptions: "DENY",
    });
    expect(
      security(
        [
          "--allowed-hosts",
          "a.example:5000, *.b.example",
          "--cors-allowed-origins",
          "https://app.example",
          "--x-frame-options",
          "NONE",
        ],
        env,
      ),
    ).toEqual({
      disabled: false,
      allowedHosts: ["a.example:5000", "*.b.example"],
      corsAllowedOrigins: ["https://app.example"],
      xFrameOptions: "NONE",
    });
    expect(security(["--disable-security-middleware"])).toMatchObject({ disabled: true });
    expect(security([], { MLFLOW_SERVER_DISABLE_SECURITY_MIDDLEWARE: "true" })).toMatchObject({ disabled: true });
  });

  it("are explained in the help", () => {
    for (const flag of [
      "--allowed-hosts",
      "--cors-allowed-origins",
      "--x-frame-options",
      "--disable-security-middleware",
    ])
      expect(HELP).toContain(flag);
  });
});

describe("--enable-workspaces", () => {
  const workspaces = (argv: string[], env: Record<string, string> = {}) => {
    const command = parseCommand(["server", ...argv], env);
    return command.kind === "server" ? command.options.enableWorkspaces : command;
  };

  it("is off by default, on with the flag or MLFLOW_ENABLE_WORKSPACES, and the flags win", () => {
    expect(workspaces([])).toBe(false);
    expect(workspaces(["--enable-workspaces"])).toBe(true);
    expect(workspaces([], { MLFLOW_ENABLE_WORKSPACES: "true" })).toBe(true);
    expect(workspaces([], { MLFLOW_ENABLE_WORKSPACES: "false" })).toBe(false);
    expect(workspaces(["--disable-workspaces"], { MLFLOW_ENABLE_WORKSPACES: "1" })).toBe(false);
  });

  it("takes --workspace-store-uri only when it names the backend store", () => {
    const db = ["--backend-store-uri", "sqlite:///tmp/x.db", "--enable-workspaces"];
    expect(workspaces([...db, "--workspace-store-uri", "sqlite:///tmp/x.db"])).toBe(true);
    expect(workspaces([...db, "--workspace-store-uri", "sqlite:///tmp/other.db"])).toMatchObject({ kind: "error" });
  });

  it("refuses a server started with the client's MLFLOW_WORKSPACE, as the reference does", () => {
    expect(workspaces([], { MLFLOW_WORKSPACE: "team-a" })).toEqual({
      kind: "error",
      message: "MLFLOW_WORKSPACE=team-a is client-only. Unset it before starting the server.",
    });
  });
});

describe("--max-request-body-size", () => {
  const size = (argv: string[], env: Record<string, string> = {}) => {
    const command = parseCommand(["server", ...argv], env);
    return command.kind === "server" ? command.options.maxRequestBodyBytes : command.kind;
  };

  it("defaults to 32 MiB and takes a flag over TRACKLITE_MAX_REQUEST_BODY_SIZE", () => {
    expect(size([])).toBe(32 * 1024 * 1024);
    expect(size([], { TRACKLITE_MAX_REQUEST_BODY_SIZE: "1000" })).toBe(1000);
    expect(size(["--max-request-body-size", "2000"], { TRACKLITE_MAX_REQUEST_BODY_SIZE: "1000" })).toBe(2000);
  });

  it("refuses what is not a positive number of bytes", () => {
    for (const bad of ["0", "-1", "10MB", "1.5", ""]) expect(size(["--max-request-body-size", bad]), bad).toBe("error");
  });
});

describe("--sqlite-synchronous", () => {
  const level = (argv: string[], env: Record<string, string> = {}) => {
    const command = parseCommand(["server", ...argv], env);
    if (command.kind === "server") return command.options.synchronous;
    return command.kind === "error" ? command.message : command.kind;
  };

  it("defaults to normal and takes a flag over TRACKLITE_SQLITE_SYNCHRONOUS", () => {
    expect(level([])).toBe("normal");
    expect(level([], { TRACKLITE_SQLITE_SYNCHRONOUS: "full" })).toBe("full");
    expect(level([], { TRACKLITE_SQLITE_SYNCHRONOUS: "FULL" })).toBe("full");
    expect(level(["--sqlite-synchronous", "normal"], { TRACKLITE_SQLITE_SYNCHRONOUS: "full" })).toBe("normal");
  });

  it("refuses SQLite's other levels with one line naming the choices", () => {
    for (const bad of ["off", "extra", "2", ""])
      expect(level(["--sqlite-synchronous", bad])).toBe(
        `Invalid value for '--sqlite-synchronous': '${bad}' is not one of 'normal', 'full'.`,
      );
  });
});

describe("--app-name", () => {
  it("takes basic-auth and refuses other apps with one line", () => {
    const ok = parseCommand(["server", "--app-name", "basic-auth"], {});
    expect(ok).toMatchObject({ kind: "server", options: { appName: "basic-auth" } });
    expect(parseCommand(["server"], {})).not.toMatchObject({ options: { appName: expect.anything() } });
    expect(parseCommand(["server", "--app-name", "oidc"], {})).toEqual({
      kind: "error",
      message: "Invalid value for '--app-name': 'oidc' is not one of 'basic-auth'.",
    });
  });
});

describe("--trace-archival-config", () => {
  const archival = (argv: string[], env: Record<string, string> = {}) => {
    const command = parseCommand(["server", ...argv], env);
    return command.kind === "server" ? command.options.traceArchivalConfig : command;
  };

  it("takes the flag over MLFLOW_TRACE_ARCHIVAL_CONFIG, and is off without either", () => {
    expect(archival([])).toBeUndefined();
    expect(archival([], { MLFLOW_TRACE_ARCHIVAL_CONFIG: "/etc/a.yaml" })).toBe("/etc/a.yaml");
    expect(archival(["--trace-archival-config", "b.yaml"], { MLFLOW_TRACE_ARCHIVAL_CONFIG: "/etc/a.yaml" })).toBe(
      "b.yaml",
    );
    expect(HELP).toContain("--trace-archival-config PATH");
  });
});

// Artifact serving flags.
describe("--serve-artifacts, --artifacts-only, --registry-store-uri", () => {
  const parse = (argv: string[], env: Record<string, string> = {}) => parseCommand(["server", ...argv], env);
  const options = (argv: string[], env: Record<string, string> = {}) => {
    const command = parse(argv, env);
    if (command.kind !== "server") throw new Error(JSON.stringify(command));
    return command.options;
  };

  it("serve artifacts by default; --no-serve-artifacts or MLFLOW_SERVE_ARTIFACTS=false turn it off", () => {
    expect(options([])).toMatchObject({ serveArtifacts: true, defaultArtifactRoot: "mlflow-artifacts:/" });
    expect(options(["--no-serve-artifacts"])).toMatchObject({ serveArtifacts: false, defaultArtifactRoot: "./mlruns" });
    expect(options([], { MLFLOW_SERVE_ARTIFACTS: "false" }).serveArtifacts).toBe(false);
    expect(options(["--serve-artifacts"], { MLFLOW_SERVE_ARTIFACTS: "false" }).serveArtifacts).toBe(true);
    expect(options(["--no-serve-artifacts", "--default-artifact-root", "/data"]).defaultArtifactRoot).toBe("/data");
  });

  it("--artifacts-only refuses a backend store and trace archival, as the reference does", () => {
    expect(options(["--artifacts-only"]).artifactsOnly).toBe(true);
    expect(options([], { MLFLOW_ARTIFACTS_ONLY: "true" }).artifactsOnly).toBe(true);
    // The reference's own default store counts as none given.
    expect(options(["--artifacts-only", "--backend-store-uri", "sqlite:///mlflow.db"]).artifactsOnly).toBe(true);
    const withStore = parse(["--artifacts-only", "--backend-store-uri", "sqlite:///x.db"]);
    expect(withStore).toMatchObject({ kind: "error" });
    expect((withStore as { message: string }).message).toContain("`--backend_store_uri`: 'sqlite:///x.db'. A tracking");
    expect(parse(["--artifacts-only", "--trace-archival-config", "a.yaml"])).toMatchObject({ kind: "error" });
  });

  it("--registry-store-uri must name the backend store", () => {
    expect(parse(["--registry-store-uri", "sqlite:///x.db", "--backend-store-uri", "sqlite:///x.db"]).kind).toBe(
      "server",
    );
    const other = parse(["--registry-store-uri", "sqlite:///other.db"]);
    expect(other).toMatchObject({ kind: "error" });
    expect((other as { message: string }).message).toContain("registered models in the backend store");
    expect(parse([], { MLFLOW_REGISTRY_STORE_URI: "sqlite:///other.db" }).kind).toBe("error");
  });

  it("are explained in the help", () => {
    for (const flag of ["--serve-artifacts", "--no-serve-artifacts", "--artifacts-only", "--registry-store-uri"])
      expect(HELP).toContain(flag);
  });
});
