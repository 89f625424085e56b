/**
 * The on-disk size of a bench server's database, read from its temp folder (both servers keep their SQLite file
 * there, see servers.mjs): the main file plus its WAL or rollback journal, since an acknowledged write may still sit
 * in the WAL. Measured from outside, so it works whatever layout the store uses.
 */
import { readdirSync, statSync } from "node:fs";
import { join } from "node:path";

const DB_FILE = /^(mlflow|tracklite)\.db(-wal|-journal)?$/;

/** Bytes of the server's database files right now. */
export function dbBytes(server) {
  let bytes = 0;
  for (const name of readdirSync(server.dir)) {
    if (!DB_FILE.test(name)) continue;
    try {
      bytes += statSync(join(server.dir, name)).size;
    } catch {}
  }
  return bytes;
}

/** MiB per 1,000,000 points of a growth from `before` to `after` bytes over `points` points. */
export const mibPerMillion = (before, after, points) =>
  points > 0 ? ((after - before) / 1024 / 1024 / points) * 1_000_000 : Number.NaN;
