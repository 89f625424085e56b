import { execFileSync } from "node:child_process";
import {
  accessSync,
  constants,
  copyFileSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, relative } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runFile, runNode, SHIM } from "./cli-run.test-helpers.js";
import { HELP } from "./options.js";

/**
 * `npx tracklite` on a fresh clone: npm links the bins of workspace packages at install time, before the root
 * `prepare` script builds dist/, and links no bin whose file does not exist. So the bin must be a committed file (the
 * shim), which runs the built CLI, or says how to build it when dist/ is not there yet.
 */

const pkgDir = new URL("..", import.meta.url).pathname;
const pkg = JSON.parse(readFileSync(join(pkgDir, "package.json"), "utf8")) as {
  bin: Record<string, string>;
  files: string[];
};
const git = (...args: string[]) => execFileSync("git", args, { cwd: pkgDir, encoding: "utf8" });

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "tracklite-bin-"));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("package.json's bin", () => {
  it("points at the committed, executable shim, outside the ignored dist/", () => {
    const bin = join(pkgDir, pkg.bin.tracklite ?? "");
    expect(bin).toBe(SHIM);
    const tracked = git("ls-files", "--stage", "--", relative(pkgDir, bin)).trim();
    expect(tracked, "the shim is in git").toMatch(/^100755 /);
    expect(() => git("check-ignore", "-q", bin), "the shim is not git-ignored").toThrow();
    accessSync(bin, constants.X_OK);
    expect(pkg.files).toContain(dirname(pkg.bin.tracklite ?? "").replace(/^\.\//, ""));
  });
});

/** A copy of the package without dist/, as a fresh clone has it before the build, with npm's bin link to it. */
function unbuiltPackage(): { shim: string; link: string } {
  const root = mkdtempSync(join(dir, "clone-"));
  mkdirSync(join(root, "bin"));
  copyFileSync(join(pkgDir, "package.json"), join(root, "package.json"));
  const shim = join(root, pkg.bin.tracklite ?? "");
  copyFileSync(SHIM, shim);
  const link = join(root, "node_modules", ".bin", "tracklite");
  mkdirSync(dirname(link), { recursive: true });
  symlinkSync(relative(dirname(link), shim), link);
  return { shim, link };
}

describe("npm on a fresh clone", () => {
  it("links the bin before dist/ exists, and `npx tracklite` then says to build", async () => {
    // A workspace root as the repository's, with this package's package.json (its dependencies left out, so npm
    // needs no registry) and the committed files only: no dist/.
    const root = mkdtempSync(join(dir, "npm-"));
    const own = join(root, "apps", "server");
    mkdirSync(join(own, "bin"), { recursive: true });
    const { dependencies: _d, devDependencies: _dd, scripts: _s, ...bare } = pkg as Record<string, unknown>;
    writeFileSync(join(own, "package.json"), JSON.stringify(bare));
    copyFileSync(SHIM, join(own, pkg.bin.tracklite ?? ""));
    writeFileSync(join(root, "package.json"), JSON.stringify({ private: true, workspaces: ["apps/*"] }));
    const npm = ["install", "--offline", "--ignore-scripts", "--no-audit", "--no-fund"];
    expect(execFileSync("npm", npm, { cwd: root, encoding: "utf8" })).toMatch(/added/);
    const ran = await runFile("npx", ["--no-install", "tracklite", "--help"], { cwd: root });
    expect(ran.status, ran.stderr).toBe(2);
    expect(ran.stderr).toMatch(/^Error: tracklite is not built yet .*Run `npm run build`/);
  }, 60_000);
});

describe("the shim", () => {
  it("before the build: says to build, in one line, exit 2", async () => {
    const { shim, link } = unbuiltPackage();
    for (const ran of [await runNode(shim, ["--help"]), await runFile(link, ["--help"])]) {
      expect(ran.status).toBe(2);
      expect(ran.stdout).toBe("");
      expect(ran.stderr).toMatch(
        /^Error: tracklite is not built yet \(.*\/dist\/cli\.js is missing\)\. Run `npm run build`/,
      );
      expect(ran.stderr.trimEnd().split("\n")).toHaveLength(1);
    }
  }, 30_000);

  it("after the build: runs the CLI, through npm's bin link as well", async () => {
    const link = join(dir, "node_modules", ".bin", "tracklite");
    mkdirSync(dirname(link), { recursive: true });
    symlinkSync(SHIM, link);
    expect(await runNode(SHIM, ["--help"])).toEqual({ status: 0, stdout: HELP, stderr: "" });
    const version = await runFile(link, ["--version"]);
    expect(version.status).toBe(0);
    expect(version.stdout).toMatch(/^tracklite, version \d+\.\d+\.\d+/);
  }, 30_000);
});
