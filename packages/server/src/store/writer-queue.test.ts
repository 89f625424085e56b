import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type Client, createClient } from "@libsql/client";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { WriterQueue } from "./writer-queue.js";

describe("WriterQueue group commit", () => {
  const dir = mkdtempSync(join(tmpdir(), "tracklite-writer-"));
  let client: Client;

  beforeAll(async () => {
    client = createClient({ url: `file:${join(dir, "w.db")}` });
    await client.execute("CREATE TABLE t (k TEXT PRIMARY KEY, v INTEGER)");
  });
  afterAll(() => {
    client.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it("commits concurrent writes in fewer transactions, and acknowledges each after its commit", async () => {
    const queue = new WriterQueue(client);
    const batch = vi.spyOn(client, "batch");
    const writes = Array.from({ length: 50 }, (_, i) =>
      queue.submit(async () => [{ sql: "INSERT INTO t (k, v) VALUES (?, ?)", args: [`a${i}`, i] }]),
    );
    await Promise.all(writes);
    expect(batch.mock.calls.length).toBeLessThan(50);
    const rs = await client.execute("SELECT COUNT(*) AS n FROM t WHERE k LIKE 'a%'");
    expect(rs.rows[0]?.n).toBe(50);
    batch.mockRestore();
  });

  it("isolates a failing write of a group and re-prepares the others", async () => {
    const queue = new WriterQueue(client);
    const prepared: string[] = [];
    const insert = (k: string) => async () => {
      prepared.push(k);
      return [{ sql: "INSERT INTO t (k, v) VALUES (?, 1)", args: [k] }];
    };
    const results = await Promise.allSettled([
      queue.submit(insert("b1")),
      queue.submit(insert("b1")),
      queue.submit(insert("b2")),
    ]);
    expect(results.map((r) => r.status).sort()).toEqual(["fulfilled", "fulfilled", "rejected"]);
    const rs = await client.execute("SELECT k FROM t WHERE k LIKE 'b%' ORDER BY k");
    expect(rs.rows.map((r) => r.k)).toEqual(["b1", "b2"]);
  });

  it("rejects a write whose preparation fails without touching the rest", async () => {
    const queue = new WriterQueue(client);
    const results = await Promise.allSettled([
      queue.submit(async () => {
        throw new Error("run is deleted");
      }),
      queue.submit(async () => [{ sql: "INSERT INTO t (k, v) VALUES ('c1', 1)", args: [] }]),
    ]);
    expect(results[0]?.status).toBe("rejected");
    expect(results[1]?.status).toBe("fulfilled");
  });
});

describe("WriterQueue depth (--expose-prometheus)", () => {
  const dir = mkdtempSync(join(tmpdir(), "tracklite-writer-depth-"));
  let client: Client;

  beforeAll(async () => {
    client = createClient({ url: `file:${join(dir, "w.db")}` });
    await client.execute("CREATE TABLE t (k TEXT PRIMARY KEY, v INTEGER)");
  });
  afterAll(() => {
    client.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it("counts writes accepted and not yet answered, failed ones too, and exclusive work", async () => {
    const queue = new WriterQueue(client);
    expect(queue.depth).toBe(0);
    let release = () => {};
    const held = queue.run(() => new Promise<void>((r) => (release = r)));
    const writes = Array.from({ length: 5 }, (_, i) =>
      queue.submit(async () => [{ sql: "INSERT INTO t (k, v) VALUES (?, ?)", args: [`d${i}`, i] }]),
    );
    const failing = queue.submit(async () => {
      throw new Error("refused");
    });
    expect(queue.depth).toBe(7);
    // The held work starts on a later tick; it holds the writer until released.
    await new Promise((r) => setTimeout(r, 10));
    expect(queue.depth).toBe(7);
    release();
    await held;
    await Promise.all(writes);
    await expect(failing).rejects.toThrow("refused");
    expect(queue.depth).toBe(0);
  });

  it("idle() resolves only after every accepted write, and those accepted meanwhile, are committed", async () => {
    const queue = new WriterQueue(client);
    const insert = (k: string) => async () => [{ sql: "INSERT INTO t (k, v) VALUES (?, 2)", args: [k] }];
    const first = Array.from({ length: 20 }, (_, i) => queue.submit(insert(`idle${i}`)));
    const idle = queue.idle();
    // Accepted after idle() was asked: still waited for.
    const late = queue.run(() => client.execute("INSERT INTO t (k, v) VALUES ('idle-late', 2)"));
    await idle;
    expect(queue.depth).toBe(0);
    const rs = await client.execute("SELECT COUNT(*) AS n FROM t WHERE k LIKE 'idle%'");
    expect(rs.rows[0]?.n).toBe(21);
    await Promise.all([...first, late]);
  });
});
