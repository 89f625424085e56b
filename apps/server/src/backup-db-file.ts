import { closeSync, openSync, readSync, writeSync } from "node:fs";

/**
 * The journal mode written in an SQLite file's header, set on a file no connection uses. Bytes 18 and 19 of the
 * header (the file format's write and read versions) are 1 for a rollback journal and 2 for WAL
 * (https://www.sqlite.org/fileformat2.html#database_header).
 *
 * Why by hand: `VACUUM INTO` writes a rollback-journal file, and `turso db import` wants a WAL one; switching with
 * `PRAGMA journal_mode` would need a connection, and the libSQL driver's connections close only when garbage
 * collected, leaving `-wal` and `-shm` files beside the copy (and a WAL connection that, closed late, removes the WAL
 * file of whatever then has that name). Checks of a backup therefore read it in rollback mode, where a read leaves
 * nothing behind, and the header is set to WAL afterwards.
 */
export function setJournalHeader(path: string, mode: "wal" | "rollback"): void {
  const fd = openSync(path, "r+");
  try {
    const magic = Buffer.alloc(16);
    readSync(fd, magic, 0, 16, 0);
    if (magic.toString("latin1") !== "SQLite format 3\0") throw new Error(`${path} is not an SQLite database`);
    const version = mode === "wal" ? 2 : 1;
    writeSync(fd, Buffer.from([version, version]), 0, 2, 18);
  } finally {
    closeSync(fd);
  }
}
