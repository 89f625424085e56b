import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type DbHandle, openDatabase, openLibsqlClient } from "./db.js";
import { MigrationLockTimeoutError, withMigrationLock } from "./migration-lock.js";
import { type Sqld, startSqld } from "./sqld.test-helpers.js";

const dir = mkdtempSync(join(tmpdir(), "tracklite-migration-lock-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** How many migrations this package ships (drizzle-kit's journal). */
const shipped: number = JSON.parse(readFileSync(new URL("../../drizzle/meta/_journal.json", import.meta.url), "utf8"))
  .entries.length;

/** The rows drizzle recorded, one per applied migration: a second application would add duplicates. */
async function appliedHashes(handle: DbHandle): Promise<string[]> {
  const rows = await handle.client.execute("SELECT hash FROM __drizzle_migrations");
  return rows.rows.map((r) => String(r.hash));
}

/** Starts `count` openDatabase at once on one database, as replicas started together do. */
async function openTogether(url: string, count: number): Promise<DbHandle[]> {
  const handles = await Promise.all(Array.from({ length: count }, () => openDatabase({ url })));
  return handles;
}

describe("migrations on a file opened by several clients at once", () => {
  it("are applied once, and every client opens", async () => {
    const handles = await openTogether(`file:${join(dir, "together.db")}`, 4);
    try {
      const hashes = await appliedHashes(handles[0] as DbHandle);
      expect(hashes).toHaveLength(shipped);
      expect(new Set(hashes).size).toBe(shipped);
      // the lock is released once the migrations are done
      const lock = await (handles[0] as DbHandle).client.execute("SELECT * FROM tracklite_migration_lock");
      expect(lock.rows).toHaveLength(0);
    } finally {
      for (const h of handles) h.client.close();
    }
  });
});

describe("the migration lock", () => {
  const url = `file:${join(dir, "lock.db")}`;

  it("makes a second process wait until the holder is done", async () => {
    const a = await openLibsqlClient(url);
    const b = await openLibsqlClient(url);
    const order: string[] = [];
    let release: () => void = () => {};
    const held = withMigrationLock(a, async () => {
      order.push("a start");
      await new Promise<void>((r) => {
        release = r;
      });
      order.push("a end");
    });
    await new Promise((r) => setTimeout(r, 100));
    const waiting = withMigrationLock(b, async () => order.push("b"), { pollMs: 20 });
    await new Promise((r) => setTimeout(r, 300));
    expect(order).toEqual(["a start"]);
    release();
    await Promise.all([held, waiting]);
    expect(order).toEqual(["a start", "a end", "b"]);
    a.close();
    b.close();
  });

  it("is taken over when its holder died (expired), and gives up on a live holder after waitMs", async () => {
    const c = await openLibsqlClient(url);
    // a crashed holder's row, expired a second ago
    await c.execute(
      "INSERT INTO tracklite_migration_lock (id, holder, expires_at) VALUES (1, 'dead', unixepoch('subsec') * 1000 - 1000)",
    );
    let ran = false;
    await withMigrationLock(c, async () => {
      ran = true;
    });
    expect(ran).toBe(true);
    // a live holder's row (renewed into the future)
    await c.execute(
      "INSERT INTO tracklite_migration_lock (id, holder, expires_at) VALUES (1, 'busy', unixepoch('subsec') * 1000 + 60000)",
    );
    const attempt = withMigrationLock(c, async () => "never", { waitMs: 300, pollMs: 50 });
    await expect(attempt).rejects.toBeInstanceOf(MigrationLockTimeoutError);
    await expect(attempt).rejects.toThrow(/held by busy/);
    c.close();
  });

  it("is renewed while the work lasts longer than its ttl", async () => {
    const d = await openLibsqlClient(url);
    await d.execute("DELETE FROM tracklite_migration_lock");
    const other = await openLibsqlClient(url);
    let otherRan = false;
    await withMigrationLock(
      d,
      async () => {
        // ttl 1 s, work 2.5 s: without renewal the other process would take the lock at ~1 s
        const contender = withMigrationLock(
          other,
          async () => {
            otherRan = true;
          },
          { pollMs: 50, ttlSeconds: 1 },
        );
        await new Promise((r) => setTimeout(r, 2500));
        expect(otherRan).toBe(false);
        void contender;
      },
      { ttlSeconds: 1 },
    );
    await new Promise((r) => setTimeout(r, 300));
    expect(otherRan).toBe(true);
    d.close();
    other.close();
  });
});

describe("migrations on one sqld, three replicas starting together", () => {
  let sqld: Sqld | undefined;

  beforeAll(async () => {
    sqld = await startSqld({ dir });
  }, 30_000);

  afterAll(async () => {
    await sqld?.stop();
  });

  it("are applied once", async () => {
    const handles = await openTogether((sqld as Sqld).url.replace("http:", "ws:"), 3);
    try {
      const hashes = await appliedHashes(handles[0] as DbHandle);
      expect(hashes).toHaveLength(shipped);
      expect(new Set(hashes).size).toBe(shipped);
    } finally {
      for (const h of handles) h.client.close();
    }
  }, 60_000);
});
