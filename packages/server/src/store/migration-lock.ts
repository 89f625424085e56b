import type { Client } from "@libsql/client";

/**
 * The one-row table that serialises migrations between processes. It lives outside drizzle's migrations because it
 * must exist before they run; `id` is pinned to 1 so that there is never more than one lock.
 */
const TABLE = "tracklite_migration_lock";

export interface MigrationLockOptions {
  /**
   * How long the lock outlives its last renewal, in seconds. A holder renews it every third of this while it works,
   * so only a holder that died (SIGKILL, a lost machine) lets it expire; the next process then takes it over.
   */
  ttlSeconds?: number;
  /** How often a waiting process tries again, in milliseconds. */
  pollMs?: number;
  /** How long a process waits for a lock held (and renewed) by another before it gives up, in milliseconds. */
  waitMs?: number;
  /** This process's name in the lock row; a random one by default. */
  holder?: string;
}

/** The lock was held by another process for longer than `waitMs`: a migration that hangs, not one that crashed. */
export class MigrationLockTimeoutError extends Error {
  constructor(holder: string, waitedMs: number) {
    super(
      `the database's migration lock is still held by ${holder} after ${Math.round(waitedMs / 1000)} s (another tracklite is migrating this database; if none is, the lock expires by itself)`,
    );
    this.name = "MigrationLockTimeoutError";
  }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Runs `work` (applying the migrations) while this process holds the database's migration lock, so that replicas
 * started together on one libSQL server migrate one after the other: the first applies the pending migrations, the
 * others wait, then find nothing left to apply. Without it, two processes both read "nothing applied yet" and the
 * second fails half-way with `table … already exists`. Expiry uses the database's clock (in
 * milliseconds), so hosts need not agree on the time.
 */
export async function withMigrationLock<T>(
  client: Client,
  work: () => Promise<T>,
  options: MigrationLockOptions = {},
): Promise<T> {
  const ttl = options.ttlSeconds ?? 30;
  const pollMs = options.pollMs ?? 100;
  const waitMs = options.waitMs ?? 300_000;
  const holder = options.holder ?? `tracklite-${crypto.randomUUID()}`;
  await client.execute(
    `CREATE TABLE IF NOT EXISTS ${TABLE} (id INTEGER PRIMARY KEY CHECK (id = 1), holder TEXT NOT NULL, expires_at REAL NOT NULL)`,
  );
  const started = Date.now();
  while (!(await tryAcquire(client, holder, ttl))) {
    if (Date.now() - started > waitMs) throw new MigrationLockTimeoutError(await currentHolder(client), waitMs);
    await sleep(pollMs);
  }
  const renewal = setInterval(
    () => {
      client
        .execute({
          sql: `UPDATE ${TABLE} SET expires_at = unixepoch('subsec') * 1000 + ? WHERE id = 1 AND holder = ?`,
          args: [ttl * 1000, holder],
        })
        // A failed renewal only shortens the lock; the migration itself reports database errors.
        .catch(() => {});
    },
    Math.max(1, (ttl * 1000) / 3),
  );
  try {
    return await work();
  } finally {
    clearInterval(renewal);
    await client
      .execute({ sql: `DELETE FROM ${TABLE} WHERE id = 1 AND holder = ?`, args: [holder] })
      // Left behind, the row expires after `ttl` seconds.
      .catch(() => {});
  }
}

/** Takes the lock when it is free or expired, in one statement (atomic on a file and on sqld alike). */
async function tryAcquire(client: Client, holder: string, ttl: number): Promise<boolean> {
  const result = await client.execute({
    sql: `INSERT INTO ${TABLE} (id, holder, expires_at) VALUES (1, ?, unixepoch('subsec') * 1000 + ?)
          ON CONFLICT (id) DO UPDATE SET holder = excluded.holder, expires_at = excluded.expires_at
          WHERE ${TABLE}.expires_at <= unixepoch('subsec') * 1000`,
    args: [holder, ttl * 1000],
  });
  return result.rowsAffected === 1;
}

async function currentHolder(client: Client): Promise<string> {
  const result = await client.execute(`SELECT holder FROM ${TABLE} WHERE id = 1`);
  return String(result.rows[0]?.holder ?? "another process");
}
