import type { Context } from "hono";
import { invalidParameter } from "../errors.js";
import { parseJsonLeniently } from "../http/parse-request.js";

/**
 * A request's parameters as the handler will read them: the query string for GET (and for a DELETE without a body),
 * else the JSON body, with the path's parameters over them (which the message may repeat but not contradict).
 * @see mlflow/server/auth/__init__.py _get_request_param
 */
export class RequestParams {
  private cache: Record<string, unknown> | undefined;
  private queries: Record<string, string[]> | undefined;

  constructor(
    private readonly c: Context,
    private readonly pathParams: Record<string, string> = {},
  ) {}

  /** Every value of a repeated query parameter (`run_id=a&run_id=b`), or of a JSON array. */
  async list(name: string): Promise<string[]> {
    const all = await this.all();
    const v = all[name];
    if (Array.isArray(v)) return v.map(String);
    if (this.c.req.method === "GET") return this.queryValues()[name] ?? [];
    return v === undefined || v === null ? [] : [String(v)];
  }

  private queryValues(): Record<string, string[]> {
    this.queries ??= this.c.req.queries();
    return this.queries;
  }

  async all(): Promise<Record<string, unknown>> {
    if (this.cache) return this.cache;
    const method = this.c.req.method;
    let args: Record<string, unknown> = {};
    const fromQuery = () => Object.fromEntries(Object.entries(this.queryValues()).map(([k, v]) => [k, v[0]]));
    if (method === "GET") {
      args = fromQuery();
    } else {
      // The body as the handler reads it (`readRequestJson`), whatever the Content-Type, and decoded twice when an old
      // client double-encoded it: a check that read the query of a DELETE with a text/plain body, or nothing of a
      // double-encoded body, would judge other names than the handler then acts on. hono keeps the text, so the
      // route reads the same body again.
      const text = await this.c.req.text();
      let body = parseJsonLeniently(text);
      if (typeof body === "string") body = parseJsonLeniently(body);
      if (body && typeof body === "object" && !Array.isArray(body)) args = body as Record<string, unknown>;
      // A DELETE without a body names its resource in the query (the auth app's own DELETE routes read it there).
      else if (method === "DELETE" && text.trim() === "") args = fromQuery();
    }
    // A field named both in the URL and in the message must agree: the check reads the URL's, and a handler may read
    // the message's (finalize acts on the body's `model_id`, in the reference too), so a request naming two resources
    // would be checked on one and served on the other.
    for (const [key, value] of Object.entries(this.pathParams)) {
      const other = args[key];
      if (other !== undefined && other !== null && String(other) !== value)
        throw invalidParameter(
          `The request's '${key}' (${pyRepr(other)}) differs from the one in its URL ('${value}').`,
        );
    }
    this.cache = { ...args, ...this.pathParams };
    return this.cache;
  }

  /** A query-string parameter, whatever the method (and without reading the body, which may be a file). */
  query(name: string): string | undefined {
    return this.queryValues()[name]?.[0];
  }

  async optional(name: string): Promise<unknown> {
    return (await this.all())[name];
  }

  /** The parameter, or the reference's INVALID_PARAMETER_VALUE for a missing one (`run_id` falls back to `run_uuid`). */
  async get(name: string): Promise<string> {
    const all = await this.all();
    if (!(name in all) || all[name] === null) {
      if (name === "run_id") return this.get("run_uuid");
      throw invalidParameter(
        `Missing value for required parameter '${name}'. See the API docs for more information about request parameters.`,
      );
    }
    const v = all[name];
    return typeof v === "string" ? v : JSON.stringify(v);
  }

  /** An integer parameter. @see _get_int_request_param */
  async int(name: string): Promise<number> {
    const raw = (await this.all())[name];
    if (raw === undefined) await this.get(name);
    const n =
      typeof raw === "number" ? raw : typeof raw === "string" && /^\s*[-+]?\d+\s*$/.test(raw) ? Number(raw) : NaN;
    if (!Number.isInteger(n)) throw invalidParameter(`Parameter '${name}' must be an integer. Got: ${pyRepr(raw)}`);
    return n;
  }
}

/** Python's repr of a JSON value, for messages that quote one. */
export function pyRepr(v: unknown): string {
  if (typeof v === "string") return `'${v.replace(/\\/g, "\\\\").replace(/'/g, "\\'")}'`;
  if (v === null || v === undefined) return "None";
  if (typeof v === "boolean") return v ? "True" : "False";
  return JSON.stringify(v);
}
