import { createServer } from "node:net";
import { describe, expect, it } from "vitest";
import type { ImportOptions } from "../command.js";
import { runVerifyCommand } from "./run-verify.js";

/** A loopback port nothing listens on (bound, then closed). */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

describe("tracklite import --verify --target-url", () => {
  it("fails at once, in one line, when no server answers at the URL", async () => {
    const url = `http://127.0.0.1:${await closedPort()}`;
    let out = "";
    let err = "";
    const options: ImportOptions = {
      source: "/nowhere/mlruns",
      backendStoreUri: "file:/nowhere/tracklite.db",
      artifactsDestination: "/nowhere/artifacts",
      dryRun: false,
      flags: { "target-url": url },
    };
    const started = Date.now();
    const code = await runVerifyCommand(options, {
      env: {},
      stdout: { write: (t: string) => (out += t) },
      stderr: { write: (t: string) => (err += t) },
    });
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(code).toBe(2);
    expect(out).toBe("");
    expect(err).toBe(`Error: --target-url ${url}: no server answers there (ECONNREFUSED).\n`);
  });
});
