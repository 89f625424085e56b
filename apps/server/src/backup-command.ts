import { runBackup } from "./backup.js";
import type { BackupOptions, RestoreOptions } from "./backup-options.js";
import { runRestore } from "./restore.js";
import { UsageError } from "./usage-error.js";
import { versionLine } from "./version.js";

/**
 * Runs `tracklite backup` or `tracklite restore` as the CLI does: progress on stderr, the summary on stdout, and a
 * failure as one line on stderr: exit status 2 for what the user must change (a place, a flag, a running server),
 * 1 for a failure on the way (a full disk, say).
 */
export async function runBackupCommand(
  command: { kind: "backup"; options: BackupOptions } | { kind: "restore"; options: RestoreOptions },
  mlflowApiVersion: string,
): Promise<number> {
  try {
    const version = /version (\S+)/.exec(versionLine(mlflowApiVersion))?.[1] ?? "unknown";
    const summary =
      command.kind === "backup"
        ? await runBackup(command.options, process.stderr, version)
        : await runRestore(command.options, process.stderr);
    process.stdout.write(`${summary}\n`);
    return 0;
  } catch (e) {
    // A progress bar may be mid-line.
    if (process.stderr.isTTY) process.stderr.write("\n");
    if (e instanceof UsageError) {
      process.stderr.write(`Error: ${e.message}\n`);
      return 2;
    }
    process.stderr.write(`Error: ${command.kind} failed: ${(e as Error).message ?? String(e)}\n`);
    return 1;
  }
}
