import { spawn } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { CLI, freePort } from "./cli-run.test-helpers.js";
import { RUNTIMES, requireTool, stopProcess } from "./runtimes.test-helpers.js";

/**
 * Bun, unlike Node and Deno, loads a `.env` file of the working folder into the environment, so MLflow variables
 * written there configure the server; `bun --no-env-file` turns that off. The README says so; this holds it to it.
 */
const bun = RUNTIMES.find((r) => r.name === "bun") as (typeof RUNTIMES)[number];
const dir = mkdtempSync(join(tmpdir(), "tracklite-rt-bun-env-"));

afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Starts `bun [flags] cli.js server --port P` in `dir` and resolves with its first stdout line (then stops it). */
async function listeningLine(flags: string[]): Promise<string> {
  const args = [...flags, CLI, "server", "--host", "127.0.0.1", "--port", String(await freePort())];
  const proc = spawn(requireTool(bun.bin, "bun"), args, {
    cwd: dir,
    stdio: ["ignore", "pipe", "pipe"],
    env: { PATH: process.env.PATH, HOME: dir },
  });
  let out = "";
  let err = "";
  proc.stderr?.on("data", (d) => {
    err += d;
  });
  try {
    return await new Promise<string>((resolve, reject) => {
      proc.stdout?.on("data", (d) => {
        out += d;
        if (out.includes("\n")) resolve(out.split("\n")[0] as string);
      });
      proc.once("exit", (code) => reject(new Error(`bun exited (${code}) before listening: ${err}`)));
    });
  } finally {
    await stopProcess(proc, "SIGTERM");
  }
}

describe("the CLI on Bun and a .env file", () => {
  writeFileSync(join(dir, ".env"), "MLFLOW_BACKEND_STORE_URI=file:./from-dotenv.db\n");

  it("takes MLflow variables from .env, unless started with --no-env-file", async () => {
    expect(await listeningLine([])).toContain("(store file:./from-dotenv.db)");
    expect(await listeningLine(["--no-env-file"])).toContain("(store file:./mlruns/tracklite.db)");
  }, 60_000);
});
