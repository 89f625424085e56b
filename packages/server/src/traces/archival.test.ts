import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import type { Client } from "@libsql/client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { useTestApp } from "../testing.test-helpers.js";
import { archivedSpanTexts, effectiveRetentionMs, readArchivedSpans, spanTexts, TraceArchiver } from "./archival.js";
import { parseTraceArchivalConfig, type TraceArchivalConfig } from "./archival-config.js";
import { rawClient, seedTraces } from "./trace-rows.test-helpers.js";

const t = useTestApp();
let client: Client;
const DAY = 86_400_000;
const NOW = Date.UTC(2026, 5, 1);

let location: string;
const config = (over: Partial<TraceArchivalConfig> = {}): TraceArchivalConfig => ({
  enabled: true,
  location,
  retention: "30d",
  longRetentionAllowlist: ["7"],
  intervalSeconds: 300,
  maxTracesPerPass: undefined,
  ...over,
});
const logs: string[] = [];

async function tagsOf(traceId: string): Promise<Record<string, string>> {
  const rs = await client.execute({
    sql: "SELECT g.key, g.value FROM trace_tags g JOIN trace_info t ON t.id = g.trace_row WHERE t.request_id = ?",
    args: [traceId],
  });
  return Object.fromEntries(rs.rows.map((r) => [String(r.key), String(r.value)]));
}

async function contents(traceId: string): Promise<string[]> {
  const rs = await client.execute({
    sql: "SELECT s.content FROM spans s JOIN trace_info t ON t.id = s.trace_row WHERE t.request_id = ? ORDER BY span_id",
    args: [traceId],
  });
  return rs.rows.map((r) => String(r.content));
}

beforeAll(async () => {
  client = rawClient(t);
  location = pathToFileURL(join(t.dir, "archive")).href;
  await client.execute(
    "INSERT INTO experiments (experiment_id, name, artifact_location, creation_time, last_update_time) VALUES (7, 'keep-long', 'x', 0, 0)",
  );
  await client.execute({
    sql: "INSERT INTO experiment_tags VALUES (7, 'mlflow.trace.archivalRetention', ?)",
    args: [JSON.stringify({ type: "duration", value: "90d" })],
  });
  const spans = (n: number) => Array.from({ length: n }, (_, i) => ({ spanId: `s${i}`, name: `span-s${i}` }));
  const rows = await seedTraces(client, [
    { requestId: "tr-old", timestampMs: NOW - 40 * DAY, spans: spans(2) },
    { requestId: "tr-older", timestampMs: NOW - 50 * DAY, spans: spans(1) },
    { requestId: "tr-new", timestampMs: NOW - 10 * DAY, spans: spans(1) },
    { requestId: "tr-running", timestampMs: NOW - 40 * DAY, status: "IN_PROGRESS", spans: spans(1) },
    { requestId: "tr-nospans", timestampMs: NOW - 40 * DAY },
    { requestId: "tr-exp7", experimentId: 7, timestampMs: NOW - 40 * DAY, spans: spans(1) },
  ]);
  for (const row of rows)
    await client.execute({
      sql: "UPDATE spans SET content = ? || span_id || ? WHERE trace_row = ?",
      args: ['{"span_id":"', '"}', row],
    });
});
afterAll(() => client.close());

describe("TraceArchiver", () => {
  it("archives finished traces older than the retention, oldest first, within the pass budget", async () => {
    const archiver = new TraceArchiver(client, config({ maxTracesPerPass: 1 }), undefined, (m) => logs.push(m));
    expect(await archiver.runOnce(NOW)).toBe(1);
    expect((await tagsOf("tr-older"))["mlflow.trace.spansLocation"]).toBe("ARCHIVE_REPO");
    expect(await tagsOf("tr-old")).toEqual({});
    expect(await new TraceArchiver(client, config(), undefined, (m) => logs.push(m)).runOnce(NOW)).toBe(1);
  });

  it("moves the spans to the archive location and points the trace at it", async () => {
    const tags = await tagsOf("tr-old");
    const folder = join(t.dir, "archive", "0", "traces", "tr-old", "artifacts");
    expect(tags).toEqual({
      "mlflow.trace.spansLocation": "ARCHIVE_REPO",
      "mlflow.trace.archiveLocation": `${location}/0/traces/tr-old/artifacts`,
    });
    expect(await contents("tr-old")).toEqual(["", ""]);
    const file = JSON.parse(readFileSync(join(folder, "traces.json"), "utf8"));
    expect(file.resource_spans[0].scope_spans[0].spans).toEqual([{ span_id: "s0" }, { span_id: "s1" }]);
    expect(await readArchivedSpans(client, "tr-old")).toEqual(['{"span_id":"s0"}', '{"span_id":"s1"}']);
    expect(await archivedSpanTexts({ tags })).toEqual(['{"span_id":"s0"}', '{"span_id":"s1"}']);
    expect(await archivedSpanTexts({ tags: {} })).toBeUndefined();
    // The read path serves the archived spans, not the emptied rows.
    const got = await t.app.request("http://localhost/api/3.0/mlflow/traces/get?trace_id=tr-old");
    expect(JSON.parse(await got.text()).trace.spans).toEqual([{ span_id: "s0" }, { span_id: "s1" }]);
    const batch = await t.app.request("http://localhost/api/3.0/mlflow/traces/batchGet?trace_ids=tr-old");
    expect(JSON.parse(await batch.text()).traces[0].spans).toHaveLength(2);
  });

  it("leaves recent, running, span-less and long-retention traces, and unarchived reads alone", async () => {
    expect(await contents("tr-new")).toEqual(['{"span_id":"s0"}']);
    expect(await contents("tr-running")).toEqual(['{"span_id":"s0"}']);
    expect(await tagsOf("tr-nospans")).toEqual({});
    // Experiment 7 asks for 90 days; longer than the server's 30, it is granted only on the allowlist.
    expect(await tagsOf("tr-exp7")).toEqual({});
    expect(await readArchivedSpans(client, "tr-new")).toBeUndefined();
    expect(await new TraceArchiver(client, config({ longRetentionAllowlist: [] })).runOnce(NOW)).toBe(1);
    expect(existsSync(join(t.dir, "archive", "7", "traces", "tr-exp7", "artifacts", "traces.json"))).toBe(true);
    expect(await new TraceArchiver(client, config()).runOnce(NOW + 100 * DAY)).toBe(1);
    expect((await tagsOf("tr-new"))["mlflow.trace.spansLocation"]).toBe("ARCHIVE_REPO");
    expect(await contents("tr-running")).toEqual(['{"span_id":"s0"}']);
  });

  it("runs on its own every interval and stops with the store", async () => {
    const archiver = new TraceArchiver(client, config({ intervalSeconds: 1 }), undefined, (m) => logs.push(m));
    const before = logs.length;
    archiver.start();
    await new Promise((r) => setTimeout(r, 1300));
    await archiver.stop();
    expect(logs.slice(before).some((m) => m.startsWith("Trace archival pass archived"))).toBe(true);
  });
});

describe("spanTexts", () => {
  it("splits the archive's spans as text, keeping nanosecond times exact and strings whole", () => {
    const a = '{"start_time_unix_nano":1700000000123456789,"name":"a, [b] {c}"}';
    const b = '{"name":"quote \\" ] ,","attributes":[{"key":"k","value":{"array_value":{"values":[1,2]}}}]}';
    const text = `{"resource_spans":[{"scope_spans":[{"spans":[${a},${b}]},{"spans":[]}]}]}`;
    expect(spanTexts(text)).toEqual([a, b]);
    expect(spanTexts('{"resource_spans":[]}')).toEqual([]);
  });
});

describe("effectiveRetentionMs", () => {
  const c = { retention: "30d", longRetentionAllowlist: ["5"] };
  it("takes an experiment's shorter retention, a longer one only when allowlisted, and ignores bad tags", () => {
    expect(effectiveRetentionMs("1", null, c)).toBe(30 * DAY);
    expect(effectiveRetentionMs("1", '{"type": "duration", "value": "12h"}', c)).toBe(12 * 3_600_000);
    expect(effectiveRetentionMs("1", '{"type": "duration", "value": "60d"}', c)).toBe(30 * DAY);
    expect(effectiveRetentionMs("5", '{"type": "duration", "value": "60d"}', c)).toBe(60 * DAY);
    expect(effectiveRetentionMs("1", '{"type": "other", "value": "1d"}', c)).toBe(30 * DAY);
    expect(effectiveRetentionMs("1", "not json", c)).toBe(30 * DAY);
  });
});

describe("parseTraceArchivalConfig", () => {
  const yaml = (body: string) => `trace_archival:\n${body}`;
  it("reads the reference's settings with its defaults", async () => {
    expect(
      await parseTraceArchivalConfig(
        yaml(
          "  enabled: true\n  location: s3://bucket/archive\n  retention: 30d\n  long_retention_allowlist: [3, '4', 3]\n",
        ),
        "c.yaml",
      ),
    ).toEqual({
      enabled: true,
      location: "s3://bucket/archive",
      retention: "30d",
      longRetentionAllowlist: ["3", "4"],
      intervalSeconds: 300,
      maxTracesPerPass: undefined,
    });
  });

  it("refuses bad files with the reference's messages", async () => {
    const cases: [string, string][] = [
      ["- a", "Top-level YAML value must be a mapping containing 'trace_archival'."],
      ["other: 1", "Missing required 'trace_archival' mapping."],
      [yaml("  location: file:///x\n  retention: 1d\n"), "Missing required 'trace_archival.enabled' value."],
      [
        yaml("  enabled: yes please\n  location: file:///x\n  retention: 1d\n"),
        "'trace_archival.enabled' must be a boolean.",
      ],
      [
        yaml("  enabled: true\n  location: mlflow-artifacts:/x\n  retention: 1d\n"),
        "Invalid value for 'trace_archival.location'. Trace archival location cannot use the proxy-only `mlflow-artifacts:` scheme.",
      ],
      [
        yaml("  enabled: true\n  location: /x\n  retention: 1d\n"),
        "Invalid value for 'trace_archival.location'. Expected a URI string.",
      ],
      [
        yaml("  enabled: true\n  location: file:///x\n  retention: 30s\n"),
        "Invalid value for 'trace_archival.retention'. Expected a duration in the form `<int><unit>`, where unit is one of 'm', 'h', or 'd' (for example '30d' or '12h').",
      ],
      [
        yaml("  enabled: true\n  location: file:///x\n  retention: 1d\n  interval_seconds: 0\n"),
        "'trace_archival.interval_seconds' must be a positive integer.",
      ],
      [
        yaml("  enabled: true\n  location: file:///x\n  retention: 1d\n  interval_seconds: 90000\n"),
        "'trace_archival.interval_seconds' must be <= 86400.",
      ],
      [
        yaml("  enabled: true\n  location: file:///x\n  retention: 1d\n  long_retention_allowlist: 3\n"),
        "'trace_archival.long_retention_allowlist' must be a list.",
      ],
    ];
    for (const [text, message] of cases) {
      // The reference reports bad locations and retentions bare, everything else naming the file.
      const bare = message.startsWith("Invalid value for");
      const expected = bare ? message : `Invalid trace archival config file 'c.yaml': ${message}`;
      await expect(parseTraceArchivalConfig(text, "c.yaml"), text).rejects.toThrow(expected);
    }
  });
});
