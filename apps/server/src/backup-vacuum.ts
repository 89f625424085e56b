import { Worker } from "node:worker_threads";

/**
 * `VACUUM INTO` on a worker thread. The libSQL driver runs statements synchronously on the calling thread, so on the
 * main thread a long copy would freeze the progress bar (its timer never fires) until the copy ends; on a worker, the
 * main thread stays free to draw it. The worker opens its own connection: the snapshot is the same one, read at
 * the moment the statement starts.
 */

/** Runs in the worker (CommonJS, as eval'd workers are); finds the driver from the CLI's own location. */
const SCRIPT = `
const { workerData, parentPort } = require("node:worker_threads");
const { createRequire } = require("node:module");
let Database;
try {
  Database = createRequire(workerData.from)("libsql");
} catch (e) {
  parentPort.postMessage({ unavailable: String(e && e.message) });
  return;
}
try {
  const db = new Database(workerData.source, { timeout: workerData.timeoutMs });
  try {
    db.prepare("VACUUM INTO ?").run(workerData.target);
  } finally {
    db.close();
  }
  parentPort.postMessage({ done: true });
} catch (e) {
  parentPort.postMessage({ error: String(e && e.message), code: e && e.code });
}
`;

type Answer = { done: true } | { unavailable: string } | { error: string; code?: string };

/**
 * Copies the database file `source` into the new file `target` with `VACUUM INTO`, off the main thread. Answers false
 * when no worker could run it (a runtime without worker threads or the driver there): the caller then runs it itself.
 */
export async function vacuumIntoOnWorker(source: string, target: string, timeoutMs = 10_000): Promise<boolean> {
  let worker: Worker;
  try {
    worker = new Worker(`(function () {${SCRIPT}})();`, {
      eval: true,
      workerData: { from: import.meta.url, source, target, timeoutMs },
    });
  } catch {
    return false;
  }
  const answer = await new Promise<Answer>((resolve) => {
    worker.once("message", (m: Answer) => resolve(m));
    worker.once("error", (e) => resolve({ unavailable: e.message }));
    worker.once("exit", () => resolve({ unavailable: "the worker exited" }));
  });
  await worker.terminate();
  if ("done" in answer) return true;
  if ("unavailable" in answer) return false;
  throw Object.assign(new Error(answer.error), answer.code ? { code: answer.code } : {});
}
