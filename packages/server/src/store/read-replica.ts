import { type Client, createClient } from "@libsql/client";
import { drizzle } from "drizzle-orm/libsql";
import { type DbHandle, type OpenOptions, openDatabase } from "./db.js";
import { isPrimaryUnreachable, primaryUnreachable, withReplicaErrors } from "./read-replica-errors.js";
import { type PrepareWrite, WriterQueue } from "./writer-queue.js";

/**
 * MLflow's `--read-replica-backend-store-uri`, on libSQL's embedded replicas: a local `file:` copy of the primary
 * (a libSQL server: sqld or Turso), pulled from it every `syncIntervalSeconds`. Reads are served from the local file;
 * writes are sent to the primary by libSQL itself (write delegation), and with `readYourWrites` this process waits
 * until its own write is in the local copy before answering, so a client sees what it wrote through this server.
 * @see mlflow/store/db/utils.py `_get_routing_session_maker` (the reference routes read-only sessions to the replica)
 */
export interface ReadReplicaOptions {
  /** `file:PATH`: the local copy; libSQL keeps its sync state beside it (`PATH-client_wal_index`). One process per file. */
  url: string;
  /** Seconds between pulls from the primary; other servers' writes show here within this delay. */
  syncIntervalSeconds: number;
}

/** The default pull period: writes through other servers show within a second. */
export const DEFAULT_SYNC_INTERVAL_SECONDS = 1;

/**
 * The URL libSQL's replication speaks to: it syncs over HTTP, so a `ws(s)://` primary is given as `http(s)://`
 * (sqld serves both on one port; `libsql://` is understood as is).
 */
export function syncUrlOf(primaryUrl: string): string {
  return primaryUrl.replace(/^ws(s?):/i, "http$1:");
}

/**
 * The one writer over an embedded replica. A write reads before it writes (does the run exist, is it active, which
 * params does it have), and those reads are local: each write therefore first pulls the primary, as the reference
 * runs a write's reads on the primary. One pull serves every write submitted before it started (a group commit's
 * writes share one).
 *
 * libSQL's pull and its forwarded writes hold the event loop for their round trip; against a primary that does not
 * answer, a pull holds it for libSQL's 3 s handshake timeout. So after a failed pull the primary is first probed with
 * a plain (non-blocking) request, and writes answer 503 at once until it answers again.
 */
class ReplicaWriterQueue extends WriterQueue {
  readonly #replica: Client;
  readonly #primaryUrl: string;
  /** Writes accepted so far; a pull covers the writes accepted before it started. */
  #accepted = 0;
  #pull: { covers: number; done: Promise<unknown> } | undefined;
  /** The last pull found the primary unreachable. */
  #down = false;

  constructor(replica: Client, primaryUrl: string) {
    super(replica);
    this.#replica = replica;
    this.#primaryUrl = primaryUrl;
  }

  /** Resolves once a pull that started after write number `write` was accepted has finished. */
  #pulledFor(write: number): Promise<unknown> {
    if (this.#pull && this.#pull.covers >= write) return this.#pull.done;
    const pull = { covers: this.#accepted, done: this.#pullNow() };
    this.#pull = pull;
    return pull.done;
  }

  async #pullNow(): Promise<void> {
    if (this.#down) {
      const problem = await unreachable(this.#primaryUrl);
      if (problem) throw primaryUnreachable(problem);
      this.#down = false;
    }
    try {
      await this.#replica.sync();
    } catch (e) {
      if (isPrimaryUnreachable(e)) this.#down = true;
      throw e;
    }
  }

  override run<T>(work: () => Promise<T>): Promise<T> {
    const write = ++this.#accepted;
    return super.run(async () => {
      await this.#pulledFor(write);
      return work();
    });
  }

  override submit(prepare: PrepareWrite): Promise<void> {
    const write = ++this.#accepted;
    return super.submit(async () => {
      await this.#pulledFor(write);
      return prepare();
    });
  }
}

/** Why the primary at `url` does not answer an HTTP request within 2 s (any answer will do), or undefined. */
async function unreachable(url: string): Promise<string | undefined> {
  try {
    const res = await fetch(url.replace(/^libsql:/i, "https:"), { signal: AbortSignal.timeout(2000) });
    await res.body?.cancel();
    return undefined;
  } catch (e) {
    const cause = (e as { cause?: { message?: string } }).cause?.message;
    return cause ?? (e instanceof Error ? e.message : String(e));
  }
}

/**
 * Opens the store's database through an embedded replica. Migrations run on the primary first, through a
 * connection of its own (as `openDatabase` runs them, lock included); the replica is then pulled, so it starts with
 * the migrated schema, and it serves from then on.
 */
export async function openReadReplicaDatabase(
  options: OpenOptions & { readReplica: ReadReplicaOptions },
): Promise<DbHandle> {
  const primary = await openDatabase(options);
  primary.client.close();
  const raw = createClient({
    url: options.readReplica.url,
    syncUrl: syncUrlOf(options.url),
    syncInterval: options.readReplica.syncIntervalSeconds,
    readYourWrites: true,
    ...(options.authToken ? { authToken: options.authToken } : {}),
    intMode: "number",
  });
  const client = withReplicaErrors(raw);
  await client.sync();
  return { client, db: drizzle(client), writer: new ReplicaWriterQueue(client, syncUrlOf(options.url)) };
}
