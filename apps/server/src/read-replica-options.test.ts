import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { type Sqld, startSqld } from "../../../packages/server/src/store/sqld.test-helpers.js";
import { CLI, freePort, runNode } from "./cli-run.test-helpers.js";
import { HELP, parseCommand } from "./options.js";

const PRIMARY = "http://127.0.0.1:8080";
const parse = (argv: string[], env: Record<string, string> = {}) => parseCommand(["server", ...argv], env);
const replicaOf = (argv: string[], env: Record<string, string> = {}) => {
  const command = parse(argv, env);
  return command.kind === "server" ? command.options.readReplica : command;
};

describe("--read-replica-backend-store-uri", () => {
  it("is off by default; read from the flag over MLFLOW_READ_REPLICA_BACKEND_STORE_URI", () => {
    expect(replicaOf(["--backend-store-uri", PRIMARY])).toBeUndefined();
    expect(replicaOf(["--backend-store-uri", PRIMARY, "--read-replica-backend-store-uri", "file:./r.db"])).toEqual({
      url: "file:./r.db",
      syncIntervalSeconds: 1,
    });
    expect(
      replicaOf(["--backend-store-uri", PRIMARY], {
        MLFLOW_READ_REPLICA_BACKEND_STORE_URI: "sqlite:///env.db",
        TRACKLITE_READ_REPLICA_SYNC_INTERVAL: "0.5",
      }),
    ).toEqual({ url: "file:env.db", syncIntervalSeconds: 0.5 });
    expect(
      replicaOf(["--backend-store-uri", PRIMARY, "--read-replica-backend-store-uri", "/abs/r.db"], {
        MLFLOW_READ_REPLICA_BACKEND_STORE_URI: "sqlite:///env.db",
      }),
    ).toMatchObject({ url: "file:/abs/r.db" });
  });

  it("refuses what it cannot serve, in one line", () => {
    const refused: [string[], Record<string, string>, RegExp][] = [
      // The primary must be a libSQL server to copy from.
      [["--read-replica-backend-store-uri", "file:r.db"], {}, /needs a libSQL server as --backend-store-uri/],
      [["--backend-store-uri", "sqlite:///p.db", "--read-replica-backend-store-uri", "file:r.db"], {}, /local file/],
      // The replica is a local file (an embedded replica), not a server.
      [
        ["--backend-store-uri", PRIMARY, "--read-replica-backend-store-uri", "http://127.0.0.1:8081"],
        {},
        /sqld --primary-grpc-url/,
      ],
      [
        ["--backend-store-uri", PRIMARY, "--read-replica-backend-store-uri", "postgresql://u:secret@h/db"],
        {},
        /does not serve postgresql/,
      ],
      [["--backend-store-uri", PRIMARY, "--read-replica-backend-store-uri", ":memory:"], {}, /:memory:/],
      [
        ["--backend-store-uri", PRIMARY, "--read-replica-backend-store-uri", "file:r.db"],
        { TRACKLITE_READ_REPLICA_SYNC_INTERVAL: "0" },
        /TRACKLITE_READ_REPLICA_SYNC_INTERVAL/,
      ],
    ];
    for (const [argv, env, pattern] of refused) {
      const command = parse(argv, env);
      expect(command, argv.join(" ")).toMatchObject({ kind: "error", message: expect.stringMatching(pattern) });
      if (command.kind === "error") {
        expect(command.message).not.toContain("\n");
        expect(command.message).not.toContain("secret");
      }
    }
  });

  it("is in the help", () => {
    expect(HELP).toContain("--read-replica-backend-store-uri file:PATH");
    expect(HELP).toContain("TRACKLITE_READ_REPLICA_SYNC_INTERVAL");
  });
});

/** The built CLI on a replica of a real sqld (TRACKLITE_SQLD_BIN, provided by `npm test`). */
describe("tracklite server with a read replica", () => {
  const dir = mkdtempSync(join(tmpdir(), "tracklite-replica-cli-"));
  let sqld: Sqld | undefined;
  afterAll(async () => {
    await sqld?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it("refuses a replica file that is some other database, in one line", async () => {
    sqld = await startSqld({ dir });
    const plain = join(dir, "plain.db");
    writeFileSync(plain, "SQLite format 3\0 not really");
    const ran = await runNode(
      CLI,
      [
        "server",
        "--port",
        String(await freePort()),
        "--backend-store-uri",
        sqld.url,
        "--read-replica-backend-store-uri",
        `file:${plain}`,
      ],
      { cwd: dir },
    );
    expect(ran.status, ran.stderr).toBe(2);
    expect(ran.stderr.trimEnd().split("\n")).toEqual([
      expect.stringMatching(/^Error: .*is a database but not a read replica/),
    ]);
  }, 30_000);

  it("starts as the README says, serves reads from the replica file and writes to the primary", async () => {
    sqld ??= await startSqld({ dir });
    const port = await freePort();
    const replica = join(dir, "replica.db");
    // README, Deploy, read replicas: the command a user copies (with a free port).
    const argv = ["server", "--port", String(port), "--backend-store-uri", sqld.url];
    const child = spawn(process.execPath, [CLI, ...argv, "--read-replica-backend-store-uri", "file:./replica.db"], {
      cwd: dir,
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stderr = "";
    child.stderr.on("data", (d) => {
      stderr += d;
    });
    try {
      const base = `http://127.0.0.1:${port}/api/2.0/mlflow`;
      for (let i = 0; ; i++) {
        try {
          if ((await fetch(`http://127.0.0.1:${port}/health`)).ok) break;
        } catch {}
        if (i > 300 || child.exitCode !== null) throw new Error(`no start: ${stderr}`);
        await new Promise((r) => setTimeout(r, 50));
      }
      const created = await fetch(`${base}/experiments/create`, {
        method: "POST",
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify({ name: "via-replica" }),
      });
      expect(created.status).toBe(200);
      const { experiment_id } = (await created.json()) as { experiment_id: string };
      const got = await fetch(`${base}/experiments/get?experiment_id=${experiment_id}`);
      expect(((await got.json()) as { experiment: { name: string } }).experiment.name).toBe("via-replica");
      expect(existsSync(replica) && existsSync(`${replica}-client_wal_index`)).toBe(true);
    } finally {
      child.kill("SIGTERM");
      await new Promise((r) => child.once("exit", r));
    }
  }, 60_000);
});
