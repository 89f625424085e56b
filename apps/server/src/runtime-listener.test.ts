import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { connect, type Socket } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { build } from "esbuild";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { freePort } from "./cli-run.test-helpers.js";
import { RUNTIMES, requireTool, stopProcess } from "./runtimes.test-helpers.js";

/**
 * stopListening on each runtime the CLI runs on: after SIGTERM, new connections are refused while an idle keep-alive
 * connection still gets the answer to a request sent on it, and `done` comes once that connection has closed.
 * `http.Server.close()` fails this on all three (it destroys the idle connection).
 */
const dir = mkdtempSync(join(tmpdir(), "tracklite-rt-listener-"));
const fixture = join(dir, "fixture.mjs");

beforeAll(async () => {
  await build({
    entryPoints: [new URL("./runtime-listener.test-fixture.ts", import.meta.url).pathname],
    outfile: fixture,
    bundle: true,
    platform: "node",
    format: "esm",
    logLevel: "error",
  });
}, 30_000);

afterAll(() => rmSync(dir, { recursive: true, force: true }));

const COMMANDS = [
  { name: "node", command: (args: string[]) => [process.execPath, fixture, ...args] },
  ...RUNTIMES.map((r) => ({
    name: r.name,
    command: (args: string[]) => [requireTool(r.bin, r.name), ...r.command(fixture, args)],
  })),
];

/** Resolves once the child has printed `line`. */
function printed(child: ChildProcess, line: string, out: { text: string }): Promise<void> {
  return new Promise((resolve, reject) => {
    const check = () => out.text.split("\n").includes(line) && resolve();
    child.stdout?.on("data", (d) => {
      out.text += d;
      check();
    });
    child.once("exit", (code) => reject(new Error(`exited (${code}) before printing ${line}: ${out.text}`)));
    check();
  });
}

/** Sends a GET on `socket` and resolves with the answer's status line. */
function get(socket: Socket): Promise<string> {
  return new Promise((resolve, reject) => {
    let text = "";
    const onData = (d: Buffer) => {
      text += d.toString("latin1");
      // The body "ok", sent with a Content-Length (Node, Deno) or in chunks (Bun).
      if (text.includes("\r\n\r\n") && (text.endsWith("\r\n\r\nok") || text.endsWith("ok\r\n0\r\n\r\n"))) {
        socket.off("data", onData);
        resolve(text.split("\r\n")[0] as string);
      }
    };
    socket.on("data", onData);
    socket.once("close", () => reject(new Error(`connection closed; got ${JSON.stringify(text)}`)));
    socket.write("GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
  });
}

function open(port: number): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, "127.0.0.1", () => resolve(socket));
    socket.once("error", reject);
  });
}

describe.each(COMMANDS)("stopListening on $name", ({ command }) => {
  it("refuses new connections, answers on an idle keep-alive one, and is done when it closes", async () => {
    const port = await freePort();
    const [bin, ...args] = command([String(port)]) as [string, ...string[]];
    const child = spawn(bin, args, {
      stdio: ["ignore", "pipe", "inherit"],
      env: { PATH: process.env.PATH, HOME: dir, DENO_NO_UPDATE_CHECK: "1" },
    });
    const out = { text: "" };
    try {
      await printed(child, "listening", out);
      const socket = await open(port);
      expect(await get(socket)).toBe("HTTP/1.1 200 OK");
      // The connection is idle when the signal comes; the client sends on it a moment later.
      child.kill("SIGTERM");
      await printed(child, "stopping", out);
      await new Promise((r) => setTimeout(r, 300));
      await expect(open(port)).rejects.toMatchObject({ code: "ECONNREFUSED" });
      expect(await get(socket)).toBe("HTTP/1.1 200 OK");
      expect(out.text).not.toContain("closed");
      const exited = new Promise<number | null>((r) => child.once("exit", r));
      socket.end();
      expect(await exited).toBe(0);
      expect(out.text).toContain("closed");
    } finally {
      await stopProcess(child, "SIGKILL");
    }
  }, 30_000);
});
