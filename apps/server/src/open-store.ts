import { createStore } from "@tracklite/server";
import { databasePath, prepareDatabaseFile, refuseForeignDatabase } from "./database-file.js";
import { redactUri } from "./store-uri.js";
import { UsageError } from "./usage-error.js";

/**
 * Checks a `file:` store before libSQL opens it: its folder can be made, the file written, and it is not a database
 * of `mlflow server`'s. Remote stores are checked by opening them.
 */
export async function checkBackendStore(url: string): Promise<void> {
  const path = databasePath(url);
  if (path === undefined || path === ":memory:") return;
  const what = `--backend-store-uri ${redactUri(url)}`;
  prepareDatabaseFile(path, what);
  await refuseForeignDatabase(path, what);
}

/**
 * The errors behind `e`, outermost first: drizzle wraps the driver's (`Failed query: …` → `fetch failed` → `getaddrinfo
 * ENOTFOUND host`).
 */
function causes(e: unknown): Error[] {
  const chain: Error[] = [];
  for (let at = e; at instanceof Error && chain.length < 10; at = at.cause) chain.push(at);
  return chain;
}

/**
 * The store, or one line when its database cannot be opened or reached: a libSQL or system error (they carry a
 * code) or a failed fetch to a libSQL server, anywhere in the chain. Other errors keep their stack (a bug).
 */
export async function openStore(url: string, options: Parameters<typeof createStore>[0]) {
  try {
    return await createStore(options);
  } catch (e) {
    const chain = causes(e);
    const fromDatabase = chain.some(
      (c) => typeof (c as { code?: unknown }).code === "string" || c.message === "fetch failed",
    );
    if (!fromDatabase) throw e;
    const root = chain[chain.length - 1]?.message ?? String(e);
    throw new UsageError(`--backend-store-uri ${redactUri(url)}: cannot open the database: ${root}`);
  }
}
