import { mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { CLI, expectOneLineError, runNode } from "../cli-run.test-helpers.js";
import { parseImportCommand } from "./command.js";

const dir = mkdtempSync(join(tmpdir(), "tracklite-import-cli-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("parseImportCommand", () => {
  it("takes the target from the server's flags, then MLflow's variables, then the defaults", () => {
    expect(parseImportCommand(["./mlruns"], {})).toMatchObject({
      kind: "import",
      options: {
        source: "./mlruns",
        backendStoreUri: "file:./mlruns/tracklite.db",
        artifactsDestination: "./mlruns/artifacts",
        dryRun: false,
      },
    });
    const env = { MLFLOW_BACKEND_STORE_URI: "sqlite:///env.db", MLFLOW_ARTIFACTS_DESTINATION: "s3://b/p" };
    expect(parseImportCommand(["./mlruns"], env)).toMatchObject({
      options: { backendStoreUri: "file:env.db", artifactsDestination: "s3://b/p" },
    });
    expect(parseImportCommand(["./mlruns", "--backend-store-uri", "t.db"], env)).toMatchObject({
      options: { backendStoreUri: "file:t.db" },
    });
  });

  it("reads --experiments comma-separated or repeated, --dry-run and --auth-db", () => {
    const parsed = parseImportCommand(
      ["x", "--experiments", "1, a", "--experiments", "b", "--dry-run", "--auth-db", "sqlite:///basic_auth.db"],
      {},
    );
    expect(parsed).toMatchObject({
      options: { experiments: ["1", "a", "b"], dryRun: true, authDb: "sqlite:///basic_auth.db" },
    });
    expect(parseImportCommand(["x", "--experiments", ","], {})).toEqual({
      kind: "error",
      message: "--experiments names no experiment: give ids or names, comma-separated.",
    });
  });
});

describe("tracklite import (the built CLI)", () => {
  it("--help prints the usage, exit 0; the main help lists the command", async () => {
    const help = await runNode(CLI, ["import", "--help"]);
    expect(help.status).toBe(0);
    expect(help.stdout).toMatch(/^Usage: tracklite import SOURCE \[options\]/);
    expect(help.stdout).toContain("--dry-run");
    expect((await runNode(CLI, ["--help"])).stdout).toContain("tracklite import SOURCE");
  });

  it("refuses a bad command line in one line, exit 2, writing nothing", async () => {
    const run = (args: string[]) => runNode(CLI, ["import", ...args], { cwd: dir });
    expectOneLineError(
      await run([]),
      /^Error: Missing argument 'SOURCE'\. `tracklite import --help` shows the usage\.$/,
    );
    expectOneLineError(await run(["./mlruns", "--dryrun"]), /No such option '--dryrun'\. Did you mean '--dry-run'\?/);
    expectOneLineError(await run(["a", "b"]), /unexpected extra argument \(b\)/);
    expectOneLineError(
      await run(["./nope"]),
      /^Error: SOURCE \.\/nope: no such folder\. SOURCE is an MLflow database URI/,
    );
    expectOneLineError(await run(["gs://bucket/x"]), /imports from sqlite:, postgresql:, mysql: databases.*not gs:/);
    expectOneLineError(
      await run(["sqlite:///mlflow.db", "--backend-store-uri", "sqlite:///mlflow.db"]),
      /SOURCE and --backend-store-uri name the same database/,
    );
    expectOneLineError(
      await run(["./x", "--backend-store-uri", "postgresql://u:secret@h/db"]),
      /does not serve postgresql databases/,
    );
    expectOneLineError(await run(["./x", "--artifacts-destination", "gs://b"]), /local folder or on s3:/);
    expect(readdirSync(dir)).toEqual([]);
  }, 60_000);
});
