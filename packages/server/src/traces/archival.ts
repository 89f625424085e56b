import { fileURLToPath } from "node:url";
import type { Client } from "@libsql/client";
import { createLocalArtifactStore } from "../artifacts/local.js";
import type { ArtifactStore } from "../artifacts/store.js";
import { appendToUri } from "../store/ids.js";
import {
  ARCHIVE_LOCATION_TAG,
  ARCHIVE_REPO,
  archivalCandidates,
  archivalExperiments,
  archiveLocationOf,
  finalizeArchivedTrace,
  SPANS_LOCATION_TAG,
  spansForArchival,
} from "../store/trace-archival.js";
import { retentionMillis, type TraceArchivalConfig, validateRetention } from "./archival-config.js";

/**
 * Server-owned trace archival (`--trace-archival-config`): every `intervalSeconds`, the span payloads of finished
 * traces older than their experiment's retention are written to the archive location and emptied in the database;
 * the trace keeps its info, tags and assessments, and reads find its spans through `readArchivedSpans`.
 * @see mlflow/tracing/trace_archival_service.py, mlflow/store/tracking/sqlalchemy_store.py archive_traces
 */

/** The file an archived trace's spans are in, below `<location>/<experiment>/traces/<trace id>/artifacts/`. */
export const ARCHIVE_FILE = "traces.json";

/** Opens the artifact store at a URI (`file:` or `s3:`); `env` carries the S3 settings (MLFLOW_S3_ENDPOINT_URL, …). */
export type ArchiveOpener = (uri: string) => Promise<ArtifactStore>;

export function archiveOpener(env: Record<string, string | undefined> = {}): ArchiveOpener {
  return async (uri) => {
    if (/^s3:/i.test(uri)) {
      const { createS3ArtifactStore, s3OptionsFromUri } = await import("../artifacts/s3.js");
      const { ignoreTls: _ignored, ...options } = s3OptionsFromUri(uri, env);
      return createS3ArtifactStore(options);
    }
    return createLocalArtifactStore(uri.startsWith("file:") ? fileURLToPath(uri) : uri);
  };
}

/**
 * An experiment's retention: its `mlflow.trace.archivalRetention` tag (`{"type": "duration", "value": "7d"}`) when
 * valid and not longer than the server's, or longer but the experiment is on the allowlist; else the server's.
 * @see mlflow/store/tracking/utils/trace_archival.py _resolve_effective_trace_archival_retention
 */
export function effectiveRetentionMs(
  experimentId: string,
  tag: string | null,
  config: Pick<TraceArchivalConfig, "retention" | "longRetentionAllowlist">,
): number {
  const broader = retentionMillis(config.retention);
  if (tag === null) return broader;
  let own: number;
  try {
    const payload = JSON.parse(tag) as { type?: unknown; value?: unknown };
    if (payload === null || typeof payload !== "object" || payload.type !== "duration") return broader;
    own = retentionMillis(validateRetention(payload.value, "value"));
  } catch {
    return broader;
  }
  return own <= broader || config.longRetentionAllowlist.includes(experimentId) ? own : broader;
}

export class TraceArchiver {
  #timer: ReturnType<typeof setInterval> | undefined;
  #running: Promise<number> | undefined;

  constructor(
    private readonly client: Client,
    private readonly config: TraceArchivalConfig,
    private readonly open: ArchiveOpener = archiveOpener(),
    private readonly log: (message: string) => void = (m) => console.log(m),
  ) {}

  /** One archival pass; returns how many traces it archived. A failing trace is left for the next pass. */
  async runOnce(now = Date.now()): Promise<number> {
    let budget = this.config.maxTracesPerPass;
    const candidates = [];
    for (const { experimentId, retentionTag } of await archivalExperiments(this.client)) {
      const cutoff = now - effectiveRetentionMs(experimentId, retentionTag, this.config);
      candidates.push(...(await archivalCandidates(this.client, experimentId, cutoff, budget)));
    }
    candidates.sort((a, b) => a.timestampMs - b.timestampMs || (a.traceId < b.traceId ? -1 : 1));
    const root = await this.open(this.config.location);
    let archived = 0;
    for (const c of candidates) {
      if (budget !== undefined && budget <= 0) break;
      const folder = `${c.experimentId}/traces/${c.traceId}/artifacts`;
      try {
        const { contents, fingerprint } = await spansForArchival(this.client, c.traceRow);
        // Joined as text, never parsed: a span's nanosecond times are exact integers no JS number holds.
        const body = `{"resource_spans":[{"scope_spans":[{"spans":[${contents.filter((s) => s !== "").join(",")}]}]}]}`;
        await root.put(`${folder}/${ARCHIVE_FILE}`, streamOf(body));
        const uri = appendToUri(this.config.location, folder);
        if (await finalizeArchivedTrace(this.client, c.traceRow, uri, fingerprint)) {
          archived++;
          if (budget !== undefined) budget--;
        } else await root.delete(`${folder}/${ARCHIVE_FILE}`);
      } catch (e) {
        this.log(`Failed to archive trace ${c.traceId}; leaving it eligible for retry: ${(e as Error).message}`);
      }
    }
    this.log(`Trace archival pass archived ${archived} trace(s).`);
    return archived;
  }

  /** Runs a pass every `intervalSeconds` (the first one after one interval), one at a time. */
  start(): void {
    this.#timer ??= setInterval(() => {
      if (this.#running) return;
      this.#running = this.runOnce()
        .catch((e: unknown) => {
          this.log(`Trace archival pass failed: ${(e as Error).message}`);
          return 0;
        })
        .finally(() => {
          this.#running = undefined;
        });
    }, this.config.intervalSeconds * 1000);
    this.#timer.unref?.();
  }

  /** Stops the timer and waits for a pass under way. */
  async stop(): Promise<void> {
    if (this.#timer) clearInterval(this.#timer);
    this.#timer = undefined;
    await this.#running;
  }
}

function streamOf(text: string): ReadableStream<Uint8Array> {
  const bytes = new TextEncoder().encode(text);
  return new ReadableStream({
    start(controller) {
      controller.enqueue(bytes);
      controller.close();
    },
  });
}

/**
 * The spans of an archived trace as the API sends them (each span's JSON text, exact), for the trace read path (get
 * trace, batch get): undefined when the trace is not archived (its spans are in the `spans` table).
 */
export async function readArchivedSpans(
  client: Client,
  traceId: string,
  open: ArchiveOpener = archiveOpener(),
): Promise<string[] | undefined> {
  const uri = await archiveLocationOf(client, traceId);
  return uri === undefined ? undefined : readArchive(uri, open);
}

/**
 * The same from a trace info already loaded (its `mlflow.trace.spansLocation` / `mlflow.trace.archiveLocation`
 * tags), in the shape of the read path's SpanSource: undefined when the trace is not archived.
 */
export async function archivedSpanTexts(
  info: { tags?: Record<string, string> | undefined },
  open: ArchiveOpener = archiveOpener(),
): Promise<string[] | undefined> {
  const uri = info.tags?.[ARCHIVE_LOCATION_TAG];
  if (info.tags?.[SPANS_LOCATION_TAG] !== ARCHIVE_REPO || !uri) return undefined;
  return readArchive(uri, open);
}

async function readArchive(uri: string, open: ArchiveOpener): Promise<string[]> {
  const body = await (await open(uri)).get(ARCHIVE_FILE);
  if (!body) return [];
  return spanTexts(await new Response(body.stream).text());
}

/**
 * The text of each element of every `"spans"` array in an archive, found by scanning (strings and nesting tracked),
 * so that no number is ever read into a JS number.
 */
export function spanTexts(text: string): string[] {
  const out: string[] = [];
  const marker = '"spans":[';
  let at = text.indexOf(marker);
  while (at >= 0) {
    let i = at + marker.length;
    let depth = 0;
    let start = i;
    let inString = false;
    for (; i < text.length; i++) {
      const ch = text[i];
      if (inString) {
        if (ch === "\\") i++;
        else if (ch === '"') inString = false;
      } else if (ch === '"') inString = true;
      else if (ch === "{" || ch === "[") depth++;
      else if (ch === "}" || (ch === "]" && depth > 0)) depth--;
      else if ((ch === "," || ch === "]") && depth === 0) {
        const element = text.slice(start, i).trim();
        if (element) out.push(element);
        start = i + 1;
        if (ch === "]") break;
      }
    }
    at = text.indexOf(marker, i);
  }
  return out;
}
