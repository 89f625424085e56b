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

describe("--app-name", () => {
  it("takes basic-auth and refuses other apps with one line", () => {
    const ok = parseCommand(["server", "--app-name", "basic-auth"], {});
    expect(ok).toMatchObject({ kind: "server", options: { appName: "basic-auth" } });
    expect(parseCommand(["server"], {})).not.toMatchObject({ options: { appName: expect.anything() } });
    expect(parseCommand(["server", "--app-name", "oidc"], {})).toEqual({
      kind: "error",
      message: "Invalid value for '--app-name': 'oidc' is not one of 'basic-auth'.",
      alone: true,
    });
  });
});
