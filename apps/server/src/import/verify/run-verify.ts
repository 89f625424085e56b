import type { ImportSource } from "@tracklite/server/import";
import { redactUri } from "../../store-uri.js";
import { UsageError } from "../../usage-error.js";
import type { ImportOptions } from "../command.js";
import type { ImportIo } from "../run-command.js";
import { pickSourceKind } from "../sources/index.js";
import { openRestSource } from "../sources/rest/index.js";
import { openTargetApp, type TargetApp } from "./open-target.js";
import { formatVerifyReport } from "./print-verify-report.js";
import { verifyImport } from "./verify-import.js";

/**
 * `tracklite import --verify SOURCE`: reads SOURCE with its own reader and tracklite through its REST API (the REST
 * source, pointed at `--target-url` or at the target store opened in this process), prints the differences and a
 * summary on stdout. Exit 0: no difference; 1: differences (or a failure on the way); 2: a usage error. Nothing is
 * written on either side.
 */
export async function runVerifyCommand(options: ImportOptions, io: ImportIo): Promise<number> {
  let source: ImportSource | undefined;
  let target: ImportSource | undefined;
  let app: TargetApp | undefined;
  try {
    const targetUrl = options.flags["target-url"];
    if (typeof targetUrl === "string") {
      if (!/^https?:\/\//i.test(targetUrl))
        throw new UsageError(
          `--target-url ${redactUri(targetUrl)}: give the URL of a running tracklite (http(s)://…).`,
        );
      await probeTarget(targetUrl);
    }
    source = await pickSourceKind(options.source).open(options.source, {
      env: io.env,
      ...(options.authDb ? { authDb: options.authDb } : {}),
      flags: options.flags,
    });
    if (typeof targetUrl === "string") {
      target = await openRestSource(targetUrl, {});
    } else {
      app = await openTargetApp(options, io.env);
      target = await openRestSource(app.url, { fetch: app.fetch, maxRetries: 0 });
    }
    let checked = 0;
    const report = await verifyImport(source, target, {
      filter: options.experiments ? { experiments: options.experiments } : {},
      onChecked: () => {
        checked += 1;
        if (io.stderr.isTTY && checked % 100 === 0)
          io.stderr.write(`\rverifying… ${checked.toLocaleString("en-US")} checked`);
      },
    });
    if (io.stderr.isTTY && checked >= 100) io.stderr.write("\n");
    io.stdout.write(`${formatVerifyReport(report, redactUri(options.source)).join("\n")}\n`);
    return report.total === 0 ? 0 : 1;
  } catch (e) {
    if (io.stderr.isTTY) io.stderr.write("\n");
    if (e instanceof UsageError) {
      io.stderr.write(`Error: ${e.message}\n`);
      return 2;
    }
    io.stderr.write(`Error: verify failed: ${String((e as Error).message ?? e).replace(/\.?\s*$/, ".")}\n`);
    return 1;
  } finally {
    await target?.close().catch(() => undefined);
    await source?.close().catch(() => undefined);
    await app?.close().catch(() => undefined);
  }
}

/** How long `--target-url` may take to answer its first request. */
const PROBE_TIMEOUT_MS = 10_000;

/**
 * Asks `--target-url` once, without retries, whether anything answers there: a server that is not running fails the
 * command at once in one line, where the REST client's retry policy would spend minutes on it.
 */
async function probeTarget(url: string): Promise<void> {
  try {
    const res = await fetch(`${url.replace(/\/+$/, "")}/health`, { signal: AbortSignal.timeout(PROBE_TIMEOUT_MS) });
    await res.body?.cancel().catch(() => undefined);
  } catch (e) {
    const cause = (e as { cause?: { code?: string; message?: string } }).cause;
    const why = cause?.code ?? cause?.message ?? (e as Error).message;
    throw new UsageError(`--target-url ${redactUri(url)}: no server answers there (${why}).`);
  }
}
