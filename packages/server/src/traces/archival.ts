import { fileURLToPath } from "node:url";
import type { Client } from "@libsql/client";
import { createLocalArtifactStore } from "../artifacts/local.js";
import type { ArtifactStore } from "../artifacts/store.js";
import { appendToUri } from "../store/ids.js";
import {
  archivalCandidates,
  archivalExperiments,
  archiveLocationOf,
  finalizeArchivedTrace,
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

/** The spans of an archive as the API sends them: the `spans` of every scope of OTLP's TracesData. */
interface ArchivedTraces {
  resource_spans?: { scope_spans?: { spans?: unknown[] }[] }[];
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
        const spans = contents.filter((s) => s !== "").map((s) => JSON.parse(s) as unknown);
        const body: ArchivedTraces = { resource_spans: [{ scope_spans: [{ spans }] }] };
        await root.put(`${folder}/${ARCHIVE_FILE}`, streamOf(JSON.stringify(body)));
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
 * The spans of an archived trace, from its archive, for the trace read path (get trace, batch get): undefined when
 * the trace is not archived (its spans are in the `spans` table).
 */
export async function readArchivedSpans(
  client: Client,
  traceId: string,
  open: ArchiveOpener = archiveOpener(),
): Promise<unknown[] | undefined> {
  const uri = await archiveLocationOf(client, traceId);
  if (uri === undefined) return undefined;
  const body = await (await open(uri)).get(ARCHIVE_FILE);
  if (!body) return [];
  const text = await new Response(body.stream).text();
  const parsed = JSON.parse(text) as ArchivedTraces;
  return (parsed.resource_spans ?? []).flatMap((r) => (r.scope_spans ?? []).flatMap((s) => s.spans ?? []));
}
