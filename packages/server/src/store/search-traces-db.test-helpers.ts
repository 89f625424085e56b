import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll } from "vitest";
import type { FixtureTrace } from "../search/trace-search-golden.test-helpers.js";
import { type DbHandle, openDatabase } from "./db.js";

/**
 * A temporary tracklite database (all migrations applied) holding search_traces fixtures, stored the way the trace
 * store keeps them: the name and session copied into trace_info columns, assessment values as Python's json.dumps
 * writes them, links in entity_associations.
 */

export const FIXTURE_RUN_ID = "0123456789abcdef0123456789abcdef";

/** Python's json.dumps for the fixture's values (", " and ": " separators, ASCII escapes). */
export function pyJsonDumps(v: unknown): string {
  if (typeof v === "number" && Number.isInteger(v) && !Number.isSafeInteger(v)) return String(v);
  if (typeof v === "number") return Number.isInteger(v) ? String(v) : String(v);
  if (v !== null && typeof v === "object" && !Array.isArray(v)) {
    return `{${Object.entries(v)
      .map(([k, x]) => `${pyJsonDumps(k)}: ${pyJsonDumps(x)}`)
      .join(", ")}}`;
  }
  return JSON.stringify(v).replace(/[\u007f-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`);
}

/** An attribute value as OpenTelemetry's AnyValue JSON (snake_case), as MLflow decodes span attributes. */
function anyValue(v: unknown): string {
  if (v === null || v === undefined) return "{}";
  if (typeof v === "string") return `{"string_value":${JSON.stringify(v)}}`;
  if (typeof v === "boolean") return `{"bool_value":${v}}`;
  if (typeof v === "number") return Number.isInteger(v) ? `{"int_value":${v}}` : `{"double_value":${v}}`;
  if (Array.isArray(v)) return `{"array_value":{"values":[${v.map(anyValue).join(",")}]}}`;
  const kvs = Object.entries(v as Record<string, unknown>).map(
    ([k, x]) => `{"key":${JSON.stringify(k)},"value":${anyValue(x)}}`,
  );
  return `{"kvlist_value":{"values":[${kvs.join(",")}]}}`;
}

/**
 * The fixture's spans are written as the reference stores them (Span.to_dict(), attribute values JSON-encoded);
 * tracklite stores the API's OpenTelemetry form, as the OTLP path writes it: compact, attributes as key/values.
 */
export function otelContent(referenceContent: string): string {
  const d = JSON.parse(referenceContent) as {
    name: string;
    attributes: Record<string, string>;
    status: { code: string };
  };
  const attributes = Object.entries(d.attributes).map(
    ([k, v]) => `{"key":${JSON.stringify(k)},"value":${anyValue(JSON.parse(v))}}`,
  );
  return `{"trace_id":"AAAAAAAAAAAAAAAAAAAAAA==","span_id":"AAAAAAAAAAE=","name":${JSON.stringify(d.name)},"start_time_unix_nano":1,"end_time_unix_nano":2,"attributes":[${attributes.join(",")}],"status":{"code":"${d.status.code}"}}`;
}

export async function insertTraces(h: DbHandle, traces: readonly FixtureTrace[], firstRow = 1): Promise<void> {
  const stmts: { sql: string; args: (string | number | null)[] }[] = [];
  traces.forEach((t, i) => {
    const row = firstRow + i;
    const metadata = { ...t.metadata };
    if (metadata["mlflow.sourceRun"] === "RUN") metadata["mlflow.sourceRun"] = FIXTURE_RUN_ID;
    // The token counts are copied into trace_info columns, as the trace store does.
    const usageText = metadata["mlflow.trace.tokenUsage"];
    const usage = (usageText ? JSON.parse(usageText) : {}) as Record<string, number>;
    stmts.push({
      sql: "INSERT INTO trace_info (id, request_id, experiment_id, timestamp_ms, execution_time_ms, status, client_request_id, trace_name, session_id, input_tokens, output_tokens, total_tokens) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
      args: [
        row,
        t.id,
        t.exp,
        t.ts,
        t.exec ?? null,
        t.state,
        t.client ?? null,
        t.name ?? null,
        metadata["mlflow.trace.session"] ?? null,
        usage.input_tokens ?? null,
        usage.output_tokens ?? null,
        usage.total_tokens ?? null,
      ],
    });
    const tags = { ...t.tags, ...(t.name !== undefined ? { "mlflow.traceName": t.name } : {}) };
    for (const [k, v] of Object.entries(tags))
      stmts.push({ sql: "INSERT INTO trace_tags VALUES (?, ?, ?)", args: [row, k, v] });
    for (const [k, v] of Object.entries(metadata)) {
      stmts.push({ sql: "INSERT INTO trace_request_metadata VALUES (?, ?, ?)", args: [row, k, v] });
    }
    (t.spans ?? []).forEach((s, j) => {
      stmts.push({
        sql: "INSERT INTO spans (trace_row, span_id, name, type, status, start_time_unix_nano, end_time_unix_nano, content) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        args: [
          row,
          j.toString(16).padStart(16, "0"),
          s.name,
          s.type,
          s.status,
          t.ts * 1e6,
          t.ts * 1e6 + 1,
          otelContent(s.content),
        ],
      });
    });
    (t.assessments ?? []).forEach((a, j) => {
      const value = a.type === "issue" ? pyJsonDumps({ issue_name: "Issue one" }) : pyJsonDumps(a.value);
      stmts.push({
        sql: "INSERT INTO assessments (assessment_id, trace_row, name, assessment_type, value, created_timestamp, last_updated_timestamp, source_type, valid, assessment_metadata) VALUES (?, ?, ?, ?, ?, 0, 0, 'HUMAN', ?, ?)",
        args: [
          `a-${row}-${j}`,
          row,
          a.name,
          a.type,
          value,
          a.invalid ? 0 : 1,
          a.metadata ? pyJsonDumps(a.metadata) : null,
        ],
      });
    });
    for (const p of t.prompts ?? []) {
      stmts.push({
        sql: "INSERT INTO entity_associations VALUES (?, 'TRACE', ?, 'PROMPT_VERSION', ?, 0)",
        args: [`p-${row}-${p}`, t.id, p],
      });
    }
    if (t.linked_run) {
      stmts.push({
        sql: "INSERT INTO entity_associations VALUES (?, 'TRACE', ?, 'RUN', ?, 0)",
        args: [`r-${row}`, t.id, FIXTURE_RUN_ID],
      });
    }
  });
  await h.client.batch(stmts, "write");
}

/** A database for the calling test file, filled by `fill`. */
export function useTraceDb(fill: (h: DbHandle) => Promise<void>): { h: DbHandle } {
  const dir = mkdtempSync(join(tmpdir(), "tracklite-trace-search-"));
  const ctx = {} as { h: DbHandle };
  beforeAll(async () => {
    ctx.h = await openDatabase({ url: `file:${join(dir, "t.db")}` });
    await fill(ctx.h);
  });
  afterAll(() => {
    ctx.h.client.close();
    rmSync(dir, { recursive: true, force: true });
  });
  return ctx;
}
