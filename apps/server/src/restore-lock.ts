import { type Client, createClient } from "@libsql/client";
import { UsageError } from "./usage-error.js";

/**
 * Makes sure no server has a database file open, and keeps it that way while `tracklite restore` swaps the file.
 *
 * Replacing the file under a running server would be silent data loss: the server keeps writing into the old file
 * (its open descriptor), and its WAL would no longer match the new one. SQLite itself tells whether anyone has the
 * file open: a connection in `locking_mode = EXCLUSIVE` that reads a WAL database takes the exclusive lock, which
 * SQLite grants only when no other connection holds the file (every open connection keeps a shared lock on the WAL
 * index), and it keeps that lock until it closes. A server that starts meanwhile cannot read the file and stops
 * ("database is locked") instead of opening the one being replaced.
 */
export interface DatabaseHold {
  /** Closes the connection; the lock goes with it when the driver really closes it (at the latest, at exit). */
  release(): void;
}

const isBusy = (e: unknown) => /SQLITE_BUSY|SQLITE_LOCKED/.test(String((e as { code?: unknown }).code ?? ""));

/**
 * Takes `path` for this process alone, or stops with a usage error when another process (a server) has it open.
 * The file is switched to a rollback journal (which checkpoints and removes its WAL), so that it holds every
 * committed transaction on its own, can be renamed aside as one file, and the lock's connection, however late it is
 * closed, never touches a `-wal` file (by then another database's) again. A server re-enables WAL when it opens it.
 */
export async function holdDatabase(path: string): Promise<DatabaseHold> {
  let client: Client;
  try {
    client = createClient({ url: `file:${path}`, intMode: "number" });
  } catch (e) {
    throw new UsageError(`cannot open ${path}: ${(e as Error).message}`);
  }
  try {
    await client.execute("PRAGMA locking_mode = EXCLUSIVE");
    await client.execute("SELECT count(*) FROM sqlite_master");
    const mode = await client.execute("PRAGMA journal_mode = DELETE");
    if (String(mode.rows[0]?.[0]) !== "delete") throw Object.assign(new Error("busy"), { code: "SQLITE_BUSY" });
  } catch (e) {
    client.close();
    if (isBusy(e))
      throw new UsageError(
        `${path} is open in another process (a tracklite server?): stop it, then run tracklite restore again.`,
      );
    throw new UsageError(`cannot open ${path}: ${(e as Error).message}`);
  }
  return { release: () => client.close() };
}
