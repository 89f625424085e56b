import type { ArtifactStore } from "@tracklite/server";
import type { ImportSink, ImportSource, SkippedItem } from "@tracklite/server/import";
import type { ProgressSink } from "../backup-progress.js";
import { makeWritableDir } from "../make-dirs.js";
import { checkBackendStore } from "../open-store.js";
import { isS3Uri } from "../options.js";
import { redactUri } from "../store-uri.js";
import { UsageError } from "../usage-error.js";
import { openArtifactLocation } from "./artifacts/index.js";
import type { ImportOptions } from "./command.js";
import { openImportSink } from "./open-sink.js";
import { importProgress } from "./progress.js";
import { runImport } from "./run-import.js";
import { pickSourceKind, type SourceKind } from "./sources/index.js";
import { parseSqlUri } from "./sources/sql/uri.js";
import { formatSummary } from "./summary.js";
import { runVerifyCommand } from "./verify/run-verify.js";

export interface ImportIo {
  env: Record<string, string | undefined>;
  stdout: { write(text: string): unknown };
  stderr: ProgressSink;
  /** The source kinds SOURCE is matched against (default: the registry); an embedder or a test adds its own. */
  kinds?: readonly SourceKind[];
  /** Opens the target (default: tracklite's own store through the import sink). */
  openSink?: (options: ImportOptions) => Promise<ImportSink>;
}

/**
 * Runs `tracklite import` as the CLI does: progress on stderr, the summary on stdout, and a failure as one line on
 * stderr: exit status 2 for what the user must change (SOURCE, a flag, the target), 1 for a failure on the way (then
 * the same command resumes where it stopped).
 */
export async function runImportCommand(options: ImportOptions, io: ImportIo): Promise<number> {
  if (options.flags.verify === true) return runVerifyCommand(options, io); // verify (issue 17)
  let source: ImportSource | undefined;
  let sink: ImportSink | undefined;
  const progress = importProgress(io.stderr);
  let started = false;
  let artifactsTarget: ArtifactStore | undefined;
  /** What the sink reports as not come across (a user's password in a form tracklite cannot verify…). */
  let sinkSkipped: SkippedItem[] = [];
  try {
    const kind = pickSourceKind(options.source, io.kinds);
    source = await kind.open(options.source, {
      env: io.env,
      ...(options.authDb ? { authDb: options.authDb } : {}),
      flags: options.flags,
    });
    if (options.authDb && USERLESS_KINDS.has(kind.kind)) source = withAuthDb(source, options.authDb);
    if (!options.dryRun) {
      await checkBackendStore(options.backendStoreUri);
      if (!isS3Uri(options.artifactsDestination))
        makeWritableDir(options.artifactsDestination, `--artifacts-destination ${options.artifactsDestination}`);
      if (io.openSink) sink = await io.openSink(options);
      else ({ sink, skipped: sinkSkipped } = await openImportSink(options, io.env));
      artifactsTarget = await openArtifactLocation(options.artifactsDestination, io.env, { createRoot: true });
    }
    started = true;
    const result = await runImport({
      source,
      ...(sink ? { sink } : {}),
      ...(artifactsTarget ? { artifactsTarget } : {}),
      filter: options.experiments ? { experiments: options.experiments } : {},
      ...(options.dryRun ? {} : { observer: progress }),
      ...(kind.kind === "sql" ? sqlitePrefetch(options.source) : {}),
    });
    result.skipped.push(...sinkSkipped);
    if (!options.dryRun) progress.end(`${result.tally.written.runs.toLocaleString("en-US")} runs imported`);
    io.stdout.write(`${formatSummary(result, redactUri(options.backendStoreUri), options.dryRun)}\n`);
    return 0;
  } catch (e) {
    // A progress bar may be mid-line.
    if (io.stderr.isTTY) io.stderr.write("\n");
    if (e instanceof UsageError) {
      io.stderr.write(`Error: ${e.message}\n`);
      return 2;
    }
    const again = started && !options.dryRun ? " Run the same command again to resume where it stopped." : "";
    const message = String((e as Error).message ?? e).replace(/\.?\s*$/, ".");
    io.stderr.write(`Error: import failed: ${message}${again}\n`);
    return 1;
  } finally {
    await sink?.close().catch(() => undefined);
    await source?.close().catch(() => undefined);
  }
}

/** A SQLite source's metric histories are read ahead on a worker thread from the same file (run-import.ts). */
function sqlitePrefetch(source: string): { prefetch?: { sqlite: string } } {
  const target = parseSqlUri(source);
  return target.dialect === "sqlite" ? { prefetch: { sqlite: target.location } } : {};
}

/** The source kinds that hold no users: with them, `--auth-db` names where the users are. */
const USERLESS_KINDS = new Set(["file-store", "rest"]);

/**
 * `--auth-db` beside a FileStore or a live server (neither holds users): the users come from that database, read by
 * the database source's reader, whatever SOURCE is.
 */
function withAuthDb(source: ImportSource, authDb: string): ImportSource {
  const authUsers = async function* () {
    const { readBasicAuthDb } = await import("./sources/sql/auth-users.js");
    yield* readBasicAuthDb(authDb);
  };
  return new Proxy(source, {
    get: (target, key) => {
      if (key === "authUsers") return authUsers;
      const value = Reflect.get(target, key);
      return typeof value === "function" ? value.bind(target) : value;
    },
  });
}
