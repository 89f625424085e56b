import { execFileSync, spawn } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createClient } from "@libsql/client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CLI, expectOneLineError, runNode } from "./cli-run.test-helpers.js";

/**
 * What `tracklite backup` and `tracklite restore` say when they cannot work: one line on stderr starting "Error: ",
 * nothing on stdout, exit status 2, and nothing written or removed. And the progress bar on a real terminal.
 */

const dir = mkdtempSync(join(tmpdir(), "tracklite-backup-errors-"));
/** A small tracklite database (made by the real server's migrations) with a folder of artifacts. */
let db: string;
let artifacts: string;

beforeAll(async () => {
  db = join(dir, "store", "tracklite.db");
  artifacts = join(dir, "store", "artifacts");
  mkdirSync(join(artifacts, "1", "run", "artifacts"), { recursive: true });
  writeFileSync(join(artifacts, "1", "run", "artifacts", "model.txt"), "weights\n");
  // An unfinished upload is never part of a backup.
  writeFileSync(join(artifacts, "1", "run", "artifacts", ".tracklite-upload-1234"), "half");
  const { createStore } = await import("@tracklite/server");
  const store = await createStore({ url: `file:${db}`, defaultArtifactRoot: "mlflow-artifacts:/" });
  store.close();
}, 60_000);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const tracklite = (args: string[]) => runNode(CLI, args, { cwd: dir });
const store = ["--backend-store-uri", `file:${join(dir, "store", "tracklite.db")}`];
/** `tracklite restore BACKUP` into `target`/t.db with artifacts in `target`/a. */
const restoreInto = (backup: string, target: string) =>
  tracklite([
    "restore",
    backup,
    "--backend-store-uri",
    join(target, "t.db"),
    "--artifacts-destination",
    join(target, "a"),
  ]);

describe("bad command lines", { timeout: 30_000 }, () => {
  it.each([
    [["backup"], /^Error: Missing argument 'DEST'\. `tracklite backup --help` shows the usage\.$/],
    [["restore"], /^Error: Missing argument 'SRC'\./],
    [["backup", "a", "b"], /^Error: Got unexpected extra argument \(b\)\.$/],
    [
      ["backup", "a", "--bakend-store-uri", "x"],
      /No such option '--bakend-store-uri'\. Did you mean '--backend-store-uri'\? `tracklite backup --help` lists the options\./,
    ],
    [["backup", "a", "--force"], /No such option '--force'/],
    [["restore", "a", "--artifacts-destination"], /Option '--artifacts-destination' requires an argument\./],
    [
      ["backup", "a", "--backend-store-uri", "postgresql://u:secret@h/db"],
      /tracklite does not serve postgresql databases/,
    ],
    [
      ["backup", "a", "--artifacts-destination", "gs://bucket/x"],
      /'--artifacts-destination': gs:\/\/bucket\/x: tracklite keeps artifacts in a local folder or on s3:\/\//,
    ],
  ])("%j", async (args, pattern) => {
    expectOneLineError(await tracklite(args), pattern);
  });

  it("backup of a libSQL server points to sqld's bottomless backup and Turso's point-in-time restore", async () => {
    const ran = await tracklite(["backup", "a", "--backend-store-uri", "libsql://db-org.turso.io?authToken=s3cret"]);
    expectOneLineError(
      ran,
      /bottomless replication to S3 .*Turso its point-in-time restore \(turso db create NEW --from-db DB --timestamp/,
    );
    expect(ran.stderr).not.toContain("s3cret");
  });

  it("restore into a libSQL server points to turso db import", async () => {
    const ran = await tracklite(["restore", "a", "--backend-store-uri", "http://127.0.0.1:8080"]);
    expectOneLineError(ran, /is a libSQL server.*turso db import SRC\/tracklite\.db/);
  });

  it("--help prints the usage on stdout, status 0", async () => {
    const ran = await tracklite(["restore", "--help"]);
    expect(ran.status).toBe(0);
    expect(ran.stdout).toMatch(/^Usage: tracklite restore SRC \[options\]/);
    expect(ran.stdout).toContain("--force");
  });

  it("reads MLFLOW_BACKEND_STORE_URI as the server does", async () => {
    const ran = await runNode(CLI, ["backup", join(dir, "from-env")], {
      cwd: dir,
      env: { ...process.env, MLFLOW_BACKEND_STORE_URI: "sqlite:///nowhere/tracklite.db" },
    });
    expectOneLineError(
      ran,
      /--backend-store-uri file:nowhere\/tracklite\.db: there is no database at .*nowhere\/tracklite\.db, nothing to back up\./,
    );
  });
});

describe("bad places", { timeout: 30_000 }, () => {
  it("a destination that is not empty is left as it was", async () => {
    const dest = join(dir, "full");
    mkdirSync(dest);
    writeFileSync(join(dest, "keep.txt"), "mine");
    expectOneLineError(
      await tracklite(["backup", dest, ...store]),
      /backup destination .*full is not empty: give a new or empty folder\./,
    );
    expect(readdirSync(dest)).toEqual(["keep.txt"]);
  });

  it("a destination inside the artifacts folder", async () => {
    const ran = await tracklite(["backup", join(artifacts, "bk"), ...store, "--artifacts-destination", artifacts]);
    expectOneLineError(
      ran,
      /backup destination .*artifacts\/bk is inside --artifacts-destination .*artifacts: put backups elsewhere\./,
    );
    expect(readdirSync(artifacts)).toEqual(["1"]);
  });

  it("a destination that is a file", async () => {
    const file = join(dir, "a-file");
    writeFileSync(file, "x");
    expectOneLineError(
      await tracklite(["backup", file, ...store]),
      /backup destination .*a-file is a file, not a folder\./,
    );
  });

  it("a database file that is not SQLite, or not tracklite's", async () => {
    const junk = join(dir, "junk.db");
    writeFileSync(junk, "not a database at all, but long enough to be read as one".repeat(20));
    expectOneLineError(
      await tracklite(["backup", join(dir, "b1"), "--backend-store-uri", junk]),
      /junk\.db is not an SQLite database\./,
    );
    const other = join(dir, "other.db");
    const client = createClient({ url: `file:${other}` });
    await client.execute("CREATE TABLE things (a)");
    client.close();
    expectOneLineError(
      await tracklite(["backup", join(dir, "b2"), "--backend-store-uri", other]),
      /other\.db is not a tracklite database/,
    );
    expect(readdirSync(dir)).not.toContain("b1");
    expect(readdirSync(dir)).not.toContain("b2");
  });

  it("restore from a folder that is not a backup, or not there", async () => {
    expectOneLineError(await tracklite(["restore", join(dir, "nope")]), /SRC .*nope does not exist\./);
    mkdirSync(join(dir, "not-a-backup"));
    expectOneLineError(
      await tracklite(["restore", join(dir, "not-a-backup"), ...store]),
      /not-a-backup is not a tracklite backup \(no backup\.json/,
    );
  });

  it("restore onto a database path that is a folder", async () => {
    const backup = join(dir, "for-folder");
    expect((await tracklite(["backup", backup, ...store, "--artifacts-destination", artifacts])).status).toBe(0);
    mkdirSync(join(dir, "folder-db", "t.db"), { recursive: true });
    const ran = await restoreInto(backup, join(dir, "folder-db"));
    expectOneLineError(ran, /folder-db\/t\.db is a folder, not a database file\./);
    expect(readdirSync(join(dir, "folder-db"))).toEqual(["t.db"]);
  });

  it("restore from a damaged backup stops before touching the target", async () => {
    const backup = join(dir, "to-damage");
    expect((await tracklite(["backup", backup, ...store, "--artifacts-destination", artifacts])).status).toBe(0);
    rmSync(join(backup, "artifacts", "1", "run", "artifacts", "model.txt"));
    const target = join(dir, "never");
    const ran = await restoreInto(backup, target);
    expectOneLineError(ran, /the backup is damaged: .*holds 0 files, backup\.json lists 1\./);
    expect(readdirSync(dir)).not.toContain("never");
  });
});

describe("progress on a terminal", { timeout: 30_000 }, () => {
  it("draws a bar redrawn in place, then the summary on stdout", () => {
    const dest = join(dir, "tty-backup");
    // `script` gives the command a real pseudo-terminal, as a user's shell would.
    const command = [process.execPath, CLI, "backup", dest, ...store, "--artifacts-destination", artifacts]
      .map((a) => `'${a}'`)
      .join(" ");
    const out = execFileSync("script", ["-qec", command, "/dev/null"], { cwd: dir, encoding: "utf8" });
    expect(out).toContain("\r\x1b[2Kdatabase ");
    expect(out).toMatch(/database +\[█{24}\] 100% .* done, [\d.]+ [kM]B in [\d.]+ s/);
    expect(out).toMatch(/artifacts +\[█{24}\] 100% .* done, 1 files, 8 B in/);
    expect(out).toMatch(/Backed up 1 experiments, 0 runs \([\d.]+ kB\) and 1 artifact files \(8 B\) to .*tty-backup/);
    const manifest = JSON.parse(readFileSync(join(dest, "backup.json"), "utf8"));
    expect(manifest).toMatchObject({ format: "tracklite-backup", artifacts: { files: 1, bytes: 8 } });
  });
});

describe("artifacts on S3", { timeout: 30_000 }, () => {
  it("are not copied: the backup says so, and so does a restore of it", async () => {
    const dest = join(dir, "s3-backup");
    const ran = await tracklite(["backup", dest, ...store, "--artifacts-destination", "s3://bucket/mlflow"]);
    expect(ran.status, ran.stderr).toBe(0);
    expect(ran.stderr).toContain("artifacts: not copied: s3://bucket/mlflow stays in its bucket");
    expect(readdirSync(dest).sort()).toEqual(["backup.json", "tracklite.db"]);
    const target = join(dir, "s3-restore");
    const restored = await restoreInto(dest, target);
    expect(restored.status, restored.stderr).toBe(0);
    expect(restored.stderr).toContain("artifacts: the backup holds none (they stayed in s3://bucket/mlflow)");
    expect(readdirSync(target)).toEqual(["t.db"]);
  });
});

describe("the basic-auth database", { timeout: 60_000 }, () => {
  it("beside the tracking database is backed up and restored beside it", async () => {
    const home = join(dir, "with-auth");
    mkdirSync(home);
    const { createStore } = await import("@tracklite/server");
    (
      await createStore({ url: `file:${join(home, "tracklite.db")}`, defaultArtifactRoot: "mlflow-artifacts:/" })
    ).close();
    const auth = createClient({ url: `file:${join(home, "basic_auth.db")}` });
    await auth.execute("CREATE TABLE users (username TEXT)");
    await auth.execute("INSERT INTO users VALUES ('alice')");
    auth.close();
    const dest = join(dir, "auth-backup");
    const ran = await tracklite([
      "backup",
      dest,
      "--backend-store-uri",
      join(home, "tracklite.db"),
      "--artifacts-destination",
      join(home, "artifacts"),
    ]);
    expect(ran.status, ran.stderr).toBe(0);
    expect(ran.stderr).toMatch(/^auth db: 100%/m);
    expect(JSON.parse(readFileSync(join(dest, "backup.json"), "utf8")).authDatabase).toMatchObject({
      file: "basic_auth.db",
    });
    const target = join(dir, "auth-restore");
    const restored = await tracklite([
      "restore",
      dest,
      "--backend-store-uri",
      join(target, "tracklite.db"),
      "--artifacts-destination",
      join(target, "artifacts"),
    ]);
    expect(restored.status, restored.stderr).toBe(0);
    const check = createClient({ url: `file:${join(target, "basic_auth.db")}` });
    expect((await check.execute("SELECT username FROM users")).rows.map((r) => r.username)).toEqual(["alice"]);
    check.close();
  });
});

describe("interrupted", { timeout: 120_000 }, () => {
  it("Ctrl-C during the copy leaves no backup behind and ends by the signal", async () => {
    // A database big enough (about 200 MB) for the copy to be under way when the signal comes.
    const big = join(dir, "big", "tracklite.db");
    mkdirSync(join(dir, "big"));
    const { createStore } = await import("@tracklite/server");
    (await createStore({ url: `file:${big}`, defaultArtifactRoot: "mlflow-artifacts:/" })).close();
    const client = createClient({ url: `file:${big}` });
    await client.execute("CREATE TABLE filler (x BLOB)");
    for (let i = 0; i < 20; i++)
      await client.execute(
        "INSERT INTO filler SELECT randomblob(10000) FROM (WITH RECURSIVE r(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM r WHERE n < 1000) SELECT n FROM r)",
      );
    client.close();
    const dest = join(dir, "interrupted");
    const child = spawn(
      process.execPath,
      [CLI, "backup", dest, "--backend-store-uri", big, "--artifacts-destination", join(dir, "big", "a")],
      {
        cwd: dir,
        stdio: ["ignore", "pipe", "pipe"],
      },
    );
    let stderr = "";
    const ended = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
      child.once("exit", (code, signal) => resolve({ code, signal })),
    );
    child.stderr.on("data", (d) => {
      stderr += d;
      if (stderr.includes("database: ") && !child.killed) child.kill("SIGINT");
    });
    const { code, signal } = await ended;
    expect(stderr).toContain("Interrupted (SIGINT): nothing was kept.");
    expect(stderr).not.toContain("database: 100%");
    expect({ code, signal }).toEqual({ code: null, signal: "SIGINT" });
    expect(existsSync(dest)).toBe(false);
  });
});
