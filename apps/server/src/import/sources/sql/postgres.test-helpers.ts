import { type ChildProcess, execFileSync, spawn } from "node:child_process";
import { chownSync, existsSync, mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir, userInfo } from "node:os";
import { join } from "node:path";
import pg from "pg";
import { freePort } from "../../../cli-run.test-helpers.js";

/** Debian's PostgreSQL 15 (scripts/test-all.mjs installs the `postgresql` package when missing). */
export const PG_BIN = process.env.TRACKLITE_PG_BIN ?? "/usr/lib/postgresql/15/bin";

export interface Postgres {
  /** `postgresql://postgres@127.0.0.1:PORT/` + a database name. */
  uri(database: string): string;
  createDatabase(name: string): Promise<void>;
  stop(): Promise<void>;
}

/**
 * A throw-away PostgreSQL server on a free loopback port. PostgreSQL refuses to run as root: when we are root, the
 * data directory is given to the `postgres` user and the server runs as it (`runuser`).
 */
export async function startPostgres(): Promise<Postgres> {
  if (!existsSync(join(PG_BIN, "postgres"))) throw new Error(`no PostgreSQL at ${PG_BIN} (apt-get install postgresql)`);
  const dir = mkdtempSync(join(tmpdir(), "sql-source-pg-"));
  const asRoot = userInfo().uid === 0;
  const wrap = (bin: string, args: string[]): [string, string[]] =>
    asRoot ? ["runuser", ["-u", "postgres", "--", join(PG_BIN, bin), ...args]] : [join(PG_BIN, bin), args];
  mkdirSync(join(dir, "sock"));
  if (asRoot) {
    const uid = Number(execFileSync("id", ["-u", "postgres"]).toString().trim());
    const gid = Number(execFileSync("id", ["-g", "postgres"]).toString().trim());
    chownSync(dir, uid, gid);
    chownSync(join(dir, "sock"), uid, gid);
  }
  const [initdb, initArgs] = wrap("initdb", ["-D", join(dir, "data"), "-A", "trust", "-U", "postgres", "-E", "UTF8"]);
  execFileSync(initdb, initArgs, { stdio: "ignore" });
  const port = await freePort();
  const [postgres, args] = wrap("postgres", [
    "-D",
    join(dir, "data"),
    "-k",
    join(dir, "sock"),
    "-p",
    String(port),
    "-h",
    "127.0.0.1",
    "-F",
  ]);
  const child: ChildProcess = spawn(postgres, args, { detached: true, stdio: "ignore" });
  const uri = (database: string) => `postgresql://postgres@127.0.0.1:${port}/${database}`;
  const stop = async () => {
    if (child.exitCode === null && child.pid !== undefined) {
      const exited = new Promise((resolve) => child.once("exit", resolve));
      process.kill(-child.pid, "SIGINT"); // fast shutdown
      await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 10_000))]);
      if (child.exitCode === null) process.kill(-child.pid, "SIGKILL");
    }
    rmSync(dir, { recursive: true, force: true });
  };
  const deadline = Date.now() + 30_000;
  for (;;) {
    const client = new pg.Client({ connectionString: uri("postgres") });
    try {
      await client.connect();
      await client.end();
      break;
    } catch (error) {
      await client.end().catch(() => {});
      if (child.exitCode !== null || Date.now() > deadline) {
        await stop();
        throw new Error(`postgres did not start: ${String(error)}`);
      }
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }
  return {
    uri,
    async createDatabase(name) {
      const client = new pg.Client({ connectionString: uri("postgres") });
      await client.connect();
      try {
        await client.query(`CREATE DATABASE "${name}"`);
      } finally {
        await client.end();
      }
    },
    stop,
  };
}
