import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { createClient } from "@libsql/client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CLI, expectOneLineError, freePort, listening, type Ran, runNode } from "./cli-run.test-helpers.js";

/**
 * What a newcomer meets when a start cannot work: each case is one line on stderr starting "Error: ", no stack, exit
 * status 2 (click's usage errors, as `mlflow server` exits for its own), and nothing left behind where it says so.
 */

let dir: string;
/** A plain file where a folder is expected. */
let afile: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "tracklite-cli-errors-"));
  afile = join(dir, "afile");
  writeFileSync(afile, "not a folder\n");
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A fresh empty working folder for one start. */
const workdir = () => mkdtempSync(join(dir, "cwd-"));

/** `tracklite server` with a free port and the given flags, from `cwd`. */
async function server(args: string[], cwd = workdir(), env: NodeJS.ProcessEnv = process.env): Promise<Ran> {
  return runNode(CLI, ["server", "--port", String(await freePort()), ...args], { cwd, env });
}

describe("port in use", () => {
  it("is one line naming the port and --port, and nothing is created", async () => {
    const taken = await listening(0);
    const port = (taken.address() as { port: number }).port;
    try {
      const cwd = workdir();
      const ran = await runNode(CLI, ["server", "--port", String(port)], { cwd });
      expectOneLineError(ran, new RegExp(`Port ${port} is already in use on 127\\.0\\.0\\.1.*--port`));
      expect(readdirSync(cwd), "no ./mlruns made").toEqual([]);
    } finally {
      await new Promise((r) => taken.close(r));
    }
  }, 30_000);
});

describe("unusable paths", () => {
  it("a database under a file: 'is a file, not a folder'", async () => {
    const ran = await server(["--backend-store-uri", `file:${afile}/x.db`, "--artifacts-destination", join(dir, "a1")]);
    expectOneLineError(
      ran,
      new RegExp(`--backend-store-uri file:${afile}/x\\.db: ${afile} is a file, not a folder\\.`),
    );
  }, 30_000);

  it("a database in /sys: cannot be opened for writing", async () => {
    const ran = await server([
      "--backend-store-uri",
      "/sys/tracklite-test.db",
      "--artifacts-destination",
      join(dir, "a2"),
    ]);
    expectOneLineError(
      ran,
      /--backend-store-uri file:\/sys\/tracklite-test\.db: cannot open \/sys\/tracklite-test\.db/,
    );
  }, 30_000);

  it("a database folder under /proc: one line at once (Node's recursive mkdir loops forever there)", async () => {
    const started = Date.now();
    const ran = await server([
      "--backend-store-uri",
      "sqlite:////proc/nope/x.db",
      "--artifacts-destination",
      join(dir, "a3"),
    ]);
    expectOneLineError(ran, /cannot create the folder \/proc\/nope/);
    expect(Date.now() - started).toBeLessThan(15_000);
  }, 30_000);

  it("a database path that is a folder", async () => {
    const ran = await server(["--backend-store-uri", `sqlite:///${dir}`, "--artifacts-destination", join(dir, "a4")]);
    expectOneLineError(ran, /is a folder, not a database file/);
  }, 30_000);

  it("a file that is not a database", async () => {
    const text = join(dir, "notes.txt");
    writeFileSync(text, "x".repeat(4096));
    const ran = await server(["--backend-store-uri", text, "--artifacts-destination", join(dir, "a5")]);
    expectOneLineError(ran, /notes\.txt is not an SQLite database/);
    expect(readFileSync(text, "utf8")).toBe("x".repeat(4096));
  }, 30_000);

  it("an artifacts destination under a file, or in /sys; the database file is not left behind", async () => {
    const cwd = workdir();
    const under = await server(["--backend-store-uri", "t.db", "--artifacts-destination", `${afile}/art`], cwd);
    expectOneLineError(under, new RegExp(`--artifacts-destination ${afile}/art: ${afile} is a file, not a folder\\.`));
    const sys = await server(["--backend-store-uri", "t.db", "--artifacts-destination", "/sys/tracklite-art"], cwd);
    expectOneLineError(
      sys,
      /--artifacts-destination \/sys\/tracklite-art: cannot create the folder \/sys\/tracklite-art/,
    );
    expect(readdirSync(cwd)).toEqual([]);
  }, 30_000);

  it("an artifact store tracklite does not serve (gs://) instead of a local folder named gs:", async () => {
    const cwd = workdir();
    const ran = await server(["--backend-store-uri", "t.db", "--artifacts-destination", "gs://bucket/p"], cwd);
    expectOneLineError(ran, /tracklite does not store artifacts on gs:\/\/\. Use a local folder or s3:\/\//);
    expect(readdirSync(cwd)).toEqual([]);
  }, 30_000);

  it("a libSQL server that cannot be reached", async () => {
    const ran = await server(["--backend-store-uri", `http://127.0.0.1:${await freePort()}`]);
    expectOneLineError(ran, /--backend-store-uri http:\/\/127\.0\.0\.1:\d+: cannot open the database: /);
  }, 30_000);
});

describe("stores tracklite does not serve", () => {
  const uris = [
    ["postgresql://u:secretpw@db.example:5432/mlflow", "postgresql"],
    ["mysql+pymysql://u:secretpw@db.example/mlflow", "mysql"],
    ["mssql+pyodbc://u:secretpw@db.example/mlflow", "mssql"],
  ] as const;

  it.each(uris)(
    "%s is refused by its scheme, credentials not echoed, nothing created",
    async (uri, kind) => {
      const cwd = workdir();
      const ran = await server(["--backend-store-uri", uri], cwd);
      expectOneLineError(ran, new RegExp(`tracklite does not serve ${kind} databases\\..*SQLite/libSQL`));
      expect(ran.stderr).not.toContain("secretpw");
      expect(ran.stderr).toContain("***@db.example");
      expect(readdirSync(cwd)).toEqual([]);
    },
    30_000,
  );

  it("from MLFLOW_BACKEND_STORE_URI too", async () => {
    const cwd = workdir();
    const ran = await server([], cwd, { ...process.env, MLFLOW_BACKEND_STORE_URI: uris[0][0] });
    expectOneLineError(ran, /does not serve postgresql databases/);
    expect(ran.stderr).not.toContain("secretpw");
    expect(readdirSync(cwd)).toEqual([]);
  }, 30_000);

  it("an sqlite URI with two slashes, not made into a folder 'sqlite:'", async () => {
    const cwd = workdir();
    const ran = await server(["--backend-store-uri", "sqlite://mlflow.db"], cwd);
    expectOneLineError(ran, /an SQLite URI has three slashes/);
    expect(readdirSync(cwd)).toEqual([]);
  }, 30_000);
});

const sha = (path: string) => createHash("sha256").update(readFileSync(path)).digest("hex");

/** The `mlflow` of the 3.x compat venv, for a database really written by MLflow. */
const MLFLOW_BIN =
  process.env.TRACKLITE_MLFLOW_BIN ?? new URL("../../../.venvs/mlflow-3/bin/mlflow", import.meta.url).pathname;

describe("a database written by mlflow server", () => {
  const expectRecognised = (ran: Ran, path: string) => {
    expectOneLineError(ran, new RegExp(`${path} was written by \`mlflow server\``));
    // The one line names the command that moves the history across, with a target that is not the MLflow file.
    expect(ran.stderr).toContain(
      `Import its history into a new tracklite database, then start tracklite on that: tracklite import sqlite:///${path} --backend-store-uri sqlite:///${join(dirname(path), "tracklite.db")}`,
    );
  };

  it("is recognised by its alembic tables and left untouched", async () => {
    const path = join(dir, "alembic.db");
    const client = createClient({ url: `file:${path}` });
    await client.batch([
      "CREATE TABLE alembic_version (version_num VARCHAR(32) NOT NULL PRIMARY KEY)",
      "INSERT INTO alembic_version VALUES ('1b5f0d9ad7c1')",
      "CREATE TABLE datasets (dataset_uuid VARCHAR(36) NOT NULL, experiment_id INTEGER NOT NULL)",
    ]);
    client.close();
    const before = sha(path);
    const ran = await server(["--backend-store-uri", `sqlite:///${path}`, "--artifacts-destination", join(dir, "a6")]);
    expectRecognised(ran, path);
    expect(sha(path)).toBe(before);
    expect(existsSync(`${path}-wal`)).toBe(false);
  }, 30_000);

  it.skipIf(!existsSync(MLFLOW_BIN))(
    "as `mlflow db upgrade` (the schema mlflow server creates) leaves it",
    async () => {
      const path = join(dir, "mlflow.db");
      const made = spawnSync(MLFLOW_BIN, ["db", "upgrade", `sqlite:///${path}`], {
        encoding: "utf8",
        timeout: 150_000,
      });
      expect(made.status, made.stderr).toBe(0);
      const before = sha(path);
      const ran = await server([
        "--backend-store-uri",
        `sqlite:///${path}`,
        "--artifacts-destination",
        join(dir, "a7"),
      ]);
      expectRecognised(ran, path);
      expect(sha(path)).toBe(before);
    },
    180_000,
  );
});

describe("--version", () => {
  it("prints the package's version and the MLflow API it serves, exit 0", async () => {
    const { version } = JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8"));
    const ran = await runNode(CLI, ["--version"]);
    expect(ran).toEqual({
      status: 0,
      stdout: `tracklite, version ${version} (serves the MLflow 3.17.2 REST API)\n`,
      stderr: "",
    });
  }, 30_000);
});

describe("unknown flags and commands", () => {
  const cases: [string[], string][] = [
    [
      ["server", "--portt", "5000"],
      "Error: No such option '--portt'. Did you mean '--port'? `tracklite --help` lists the options.",
    ],
    [
      ["server", "--artifact-destination", "x"],
      "Error: No such option '--artifact-destination'. Did you mean '--artifacts-destination'? `tracklite --help` lists the options.",
    ],
    [
      ["server", "--backend-store", "x"],
      "Error: No such option '--backend-store'. Did you mean '--backend-store-uri'? `tracklite --help` lists the options.",
    ],
    [["server", "--frobnicate"], "Error: No such option '--frobnicate'. `tracklite --help` lists the options."],
    [["server", "-x"], "Error: No such option '-x'. `tracklite --help` lists the options."],
    [["server", "--port"], "Error: Option '--port' requires an argument."],
    [["server", "--port", "abc"], "Error: Invalid value for '--port' / '-p': 'abc' is not a valid integer."],
    [["serve"], "Error: No such command 'serve'. Did you mean 'server'? `tracklite --help` lists the commands."],
  ];

  it.each(cases)(
    "%j: one line with a hint, not the help",
    async (argv, line) => {
      const ran = await runNode(CLI, argv, { cwd: workdir() });
      expect(ran).toEqual({ status: 2, stdout: "", stderr: `${line}\n` });
    },
    30_000,
  );
});

describe("a start that can work still starts", () => {
  it("on a new database, then again on the same one (the checks pass a tracklite database)", async () => {
    const cwd = workdir();
    for (let i = 0; i < 2; i++) {
      const port = await freePort();
      const { spawn } = await import("node:child_process");
      const child = spawn(process.execPath, [CLI, "server", "--port", String(port)], { cwd, stdio: "ignore" });
      try {
        let ok = false;
        for (let t = 0; t < 150 && !ok && child.exitCode === null; t++) {
          ok = await fetch(`http://127.0.0.1:${port}/health`).then(
            (r) => r.ok,
            () => false,
          );
          if (!ok) await new Promise((r) => setTimeout(r, 100));
        }
        expect(ok, `start ${i + 1}`).toBe(true);
      } finally {
        child.kill("SIGKILL");
        await new Promise((r) => child.once("close", r));
      }
    }
    expect(existsSync(join(cwd, "mlruns", "tracklite.db"))).toBe(true);
  }, 60_000);
});
