import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Client, Transaction } from "@libsql/client";
import { afterAll, describe, expect, it } from "vitest";
import { CACHE_KIB, LOCAL_CONNECTIONS, type Synchronous } from "./connection-settings.js";
import { openLibsqlClient } from "./db.js";

/** SQLite's numbers for the levels. */
const LEVEL: Record<Synchronous, number> = { normal: 1, full: 2 };

describe("every connection to a local file carries the settings", () => {
  const dir = mkdtempSync(join(tmpdir(), "tracklite-conn-"));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  /** Holds all but one connection in open transactions, so that each answer comes from a different connection. */
  async function perConnection(client: Client, pragma: string): Promise<unknown[]> {
    const held: Transaction[] = [];
    for (let i = 0; i < LOCAL_CONNECTIONS - 1; i++) held.push(await client.transaction("read"));
    try {
      const answers = await Promise.all([
        ...held.map((tx) => tx.execute(`PRAGMA ${pragma}`)),
        client.execute(`PRAGMA ${pragma}`),
      ]);
      return answers.map((rs) => rs.rows[0]?.[0]);
    } finally {
      for (const tx of held) tx.close();
    }
  }

  for (const level of ["normal", "full"] as const) {
    it(`synchronous = ${level}, a bounded page cache, WAL`, async () => {
      const client = await openLibsqlClient(`file:${join(dir, `${level}.db`)}`, undefined, level);
      try {
        expect(await perConnection(client, "synchronous")).toEqual(Array(LOCAL_CONNECTIONS).fill(LEVEL[level]));
        expect(await perConnection(client, "cache_size")).toEqual(Array(LOCAL_CONNECTIONS).fill(-CACHE_KIB));
        expect((await client.execute("PRAGMA journal_mode")).rows[0]?.[0]).toBe("wal");
      } finally {
        client.close();
      }
    });
  }

  it("defaults to normal", async () => {
    const client = await openLibsqlClient(`file:${join(dir, "default.db")}`);
    try {
      expect(await perConnection(client, "synchronous")).toEqual(Array(LOCAL_CONNECTIONS).fill(LEVEL.normal));
    } finally {
      client.close();
    }
  });

  it("keeps no more connections than that: one more transaction waits for one to end", async () => {
    const client = await openLibsqlClient(`file:${join(dir, "cap.db")}`);
    const held: Transaction[] = [];
    try {
      for (let i = 0; i < LOCAL_CONNECTIONS; i++) held.push(await client.transaction("read"));
      await expect(client.transaction("read")).rejects.toThrow(/held by open transactions/);
    } finally {
      for (const tx of held) tx.close();
      client.close();
    }
  });
});
