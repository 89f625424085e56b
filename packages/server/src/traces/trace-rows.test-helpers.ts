import { join } from "node:path";
import { type Client, createClient } from "@libsql/client";
import type { TestApp } from "../testing.test-helpers.js";

/** A trace row to insert directly (the trace routes live on another branch; these tests need only the rows). */
export interface TraceSeed {
  requestId: string;
  experimentId?: number;
  timestampMs?: number;
  executionTimeMs?: number | null;
  status?: string;
  traceName?: string | null;
  sessionId?: string | null;
  inputTokens?: number | null;
  outputTokens?: number | null;
  totalTokens?: number | null;
  tags?: Record<string, string>;
  metadata?: Record<string, string>;
  spans?: { spanId: string; name: string; type?: string; status?: string; startNs?: number; endNs?: number }[];
}

/** A second connection to the test app's database file, for seeding and inspecting rows. */
export function rawClient(t: TestApp): Client {
  return createClient({ url: `file:${join(t.dir, "test.db")}`, intMode: "number" });
}

/** Inserts traces (with tags, metadata and spans) and returns their row ids. */
export async function seedTraces(client: Client, seeds: TraceSeed[]): Promise<number[]> {
  const ids: number[] = [];
  for (const s of seeds) {
    const rs = await client.execute({
      sql: `INSERT INTO trace_info (request_id, experiment_id, timestamp_ms, execution_time_ms, status, trace_name,
            session_id, input_tokens, output_tokens, total_tokens) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
      args: [
        s.requestId,
        s.experimentId ?? 0,
        s.timestampMs ?? Date.now(),
        s.executionTimeMs ?? null,
        s.status ?? "OK",
        s.traceName ?? null,
        s.sessionId ?? null,
        s.inputTokens ?? null,
        s.outputTokens ?? null,
        s.totalTokens ?? null,
      ],
    });
    const id = Number(rs.rows[0]?.id);
    ids.push(id);
    for (const [key, value] of Object.entries(s.tags ?? {}))
      await client.execute({ sql: "INSERT INTO trace_tags VALUES (?, ?, ?)", args: [id, key, value] });
    for (const [key, value] of Object.entries(s.metadata ?? {}))
      await client.execute({ sql: "INSERT INTO trace_request_metadata VALUES (?, ?, ?)", args: [id, key, value] });
    for (const sp of s.spans ?? []) {
      const start = sp.startNs ?? 0;
      const end = sp.endNs ?? start;
      await client.execute({
        sql: `INSERT INTO spans (trace_row, span_id, name, type, status, start_time_unix_nano, end_time_unix_nano,
              duration_ns, content) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
        args: [id, sp.spanId, sp.name, sp.type ?? null, sp.status ?? "OK", start, end, end - start, "{}"],
      });
    }
  }
  return ids;
}
