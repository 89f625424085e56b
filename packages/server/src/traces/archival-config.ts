import { invalidParameter } from "../errors.js";

/**
 * `--trace-archival-config`: a YAML file whose `trace_archival` mapping turns on server-owned trace archival. Span
 * payloads of finished traces older than the retention move to `location` (an artifact URI); their rows keep the
 * trace's info, tags and assessments.
 * @see mlflow/tracing/trace_archival_config.py load_trace_archival_server_config
 */
export interface TraceArchivalConfig {
  enabled: boolean;
  /** Where archived spans go: `file:///…`, `s3://bucket/prefix`, … (not the proxy's `mlflow-artifacts:`). */
  location: string;
  /** `<int><unit>`, unit m, h or d: traces older than this are archived. */
  retention: string;
  /** Experiments whose own (experiment tag) retention may exceed `retention`. */
  longRetentionAllowlist: string[];
  /** Seconds between archival passes (default 300, at most 86400). */
  intervalSeconds: number;
  /** The most traces one pass archives; all eligible when unset. */
  maxTracesPerPass: number | undefined;
}

const KEY = "trace_archival";
const INTERVAL_DEFAULT = 300;
const INTERVAL_MAX = 86400;
const RETENTION = /^[1-9][0-9]*[mhd]$/;
const UNIT_MS = { m: 60_000, h: 3_600_000, d: 86_400_000 } as const;

/** A retention string as milliseconds (`30d` → 2592000000). */
export function retentionMillis(retention: string): number {
  const unit = retention.at(-1) as keyof typeof UNIT_MS;
  return Number(retention.slice(0, -1)) * UNIT_MS[unit];
}

/** @see mlflow/utils/validation.py _validate_trace_archival_retention_string */
export function validateRetention(value: unknown, parameterName: string): string {
  const expected = `Invalid value for '${parameterName}'. Expected a duration in the form \`<int><unit>\`, where unit is one of 'm', 'h', or 'd' (for example '30d' or '12h').`;
  if (typeof value !== "string") throw invalidParameter(expected);
  const trimmed = value.trim();
  if (trimmed.length > 32)
    throw invalidParameter(`Invalid value for '${parameterName}'. Maximum length is 32 characters.`);
  if (!RETENTION.test(trimmed)) throw invalidParameter(expected);
  return trimmed;
}

/** @see mlflow/utils/validation.py _validate_trace_archival_location */
export function validateLocation(value: unknown, parameterName: string): string {
  const notUri = `Invalid value for '${parameterName}'. Expected a URI string.`;
  if (typeof value !== "string") throw invalidParameter(notUri);
  const trimmed = value.trim();
  const scheme = /^([A-Za-z][A-Za-z0-9+.-]*):/.exec(trimmed)?.[1];
  if (!scheme) throw invalidParameter(notUri);
  if (scheme.toLowerCase() === "mlflow-artifacts")
    throw invalidParameter(
      `Invalid value for '${parameterName}'. Trace archival location cannot use the proxy-only \`mlflow-artifacts:\` scheme.`,
    );
  // tracklite writes archives to local folders and S3; the reference's other repositories are not here.
  if (!/^(file|s3)$/i.test(scheme))
    throw invalidParameter(
      `Invalid value for '${parameterName}'. Trace archival location '${trimmed}' resolves to an artifact repository that does not support deleting archived payloads.`,
    );
  return trimmed;
}

/**
 * Reads and checks the config file's text; the messages are the reference's, naming the file. Asynchronous because
 * the YAML parser (a tenth of the server's start-up code) loads only when a config file is given.
 */
export async function parseTraceArchivalConfig(text: string, path: string): Promise<TraceArchivalConfig> {
  const fail = (message: string) => invalidParameter(`Invalid trace archival config file '${path}': ${message}`);
  const { parse: parseYaml } = await import("yaml");
  let payload: unknown;
  try {
    payload = parseYaml(text);
  } catch (e) {
    throw fail(`Failed to parse YAML: ${(e as Error).message}`);
  }
  if (payload === null || typeof payload !== "object" || Array.isArray(payload))
    throw fail("Top-level YAML value must be a mapping containing 'trace_archival'.");
  const section = (payload as Record<string, unknown>)[KEY];
  if (section === null || typeof section !== "object" || Array.isArray(section))
    throw fail(`Missing required '${KEY}' mapping.`);
  const s = section as Record<string, unknown>;
  const required = (key: string) => {
    if (!(key in s)) throw fail(`Missing required '${KEY}.${key}' value.`);
    return s[key];
  };
  const enabled = required("enabled");
  if (typeof enabled !== "boolean") throw fail(`'${KEY}.enabled' must be a boolean.`);
  const location = validateLocation(required("location"), `${KEY}.location`);
  const retention = validateRetention(required("retention"), `${KEY}.retention`);
  const positive = (key: string, max?: number): number | undefined => {
    if (!(key in s)) return undefined;
    const v = s[key];
    if (typeof v !== "number" || !Number.isInteger(v) || v < 1)
      throw fail(`'${KEY}.${key}' must be a positive integer.`);
    if (max !== undefined && v > max) throw fail(`'${KEY}.${key}' must be <= ${max}.`);
    return v;
  };
  const allowlist: string[] = [];
  const rawList = s.long_retention_allowlist;
  if (rawList !== undefined && rawList !== null) {
    if (!Array.isArray(rawList)) throw fail(`'${KEY}.long_retention_allowlist' must be a list.`);
    rawList.forEach((entry, i) => {
      if (entry !== null && typeof entry === "object")
        throw fail(`'${KEY}.long_retention_allowlist[${i}]' must be a scalar experiment ID.`);
      const id = String(entry).trim();
      if (!id) return;
      if (!allowlist.includes(id)) allowlist.push(id);
    });
  }
  return {
    enabled,
    location,
    retention,
    longRetentionAllowlist: allowlist,
    intervalSeconds: positive("interval_seconds", INTERVAL_MAX) ?? INTERVAL_DEFAULT,
    maxTracesPerPass: positive("max_traces_per_pass"),
  };
}
