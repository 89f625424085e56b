import { accessSync, constants, mkdirSync, statSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { UsageError } from "./usage-error.js";

/** Words for the errno codes a start-up path runs into; the rest keep their code. */
export function describeFsError(e: unknown): string {
  const code = (e as NodeJS.ErrnoException).code;
  switch (code) {
    case "EACCES":
      return "permission denied";
    case "EPERM":
      return "operation not permitted";
    case "EROFS":
      return "read-only file system";
    case "ENOSPC":
      return "no space left on the device";
    case "ENOENT":
      return "the file system there does not allow it";
    default:
      return code ?? (e as Error).message;
  }
}

/**
 * Creates the folder `path` and its missing parents, one level at a time, or stops with one line naming `what` needs
 * it and why it cannot be. Node's own `mkdirSync(p, { recursive: true })` loops forever where a file system answers
 * ENOENT to every mkdir (`/proc/nope`), and answers a file in the way (`/tmp/afile/x`) with a bare EEXIST.
 */
export function makeDirs(path: string, what: string): void {
  const missing: string[] = [];
  let at = resolve(path);
  for (;;) {
    let isDir: boolean;
    try {
      isDir = statSync(at).isDirectory();
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code !== "ENOENT" && code !== "ENOTDIR")
        throw new UsageError(`${what}: cannot use ${at}: ${describeFsError(e)}.`);
      missing.push(at);
      const parent = dirname(at);
      if (parent === at) throw new UsageError(`${what}: cannot use ${at}: ${describeFsError(e)}.`);
      at = parent;
      continue;
    }
    if (!isDir) throw new UsageError(`${what}: ${at} is a file, not a folder.`);
    break;
  }
  for (const dir of missing.reverse()) {
    try {
      mkdirSync(dir);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === "EEXIST" && statSync(dir).isDirectory()) continue;
      throw new UsageError(`${what}: cannot create the folder ${dir}: ${describeFsError(e)}.`);
    }
  }
}

/** `makeDirs`, then a check that files can be written into the folder. */
export function makeWritableDir(path: string, what: string): void {
  makeDirs(path, what);
  try {
    accessSync(path, constants.W_OK);
  } catch (e) {
    throw new UsageError(`${what}: cannot write into ${resolve(path)}: ${describeFsError(e)}.`);
  }
}
