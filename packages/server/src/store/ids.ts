import { invalidParameter } from "../errors.js";

/** MLflow's `_parse_experiment_id`: experiment ids are integers on the wire as strings. */
export function parseExperimentId(id: string | number | undefined): number {
  const text = String(id ?? "").trim();
  if (/^[-+]?\d+$/.test(text)) return Number(text);
  throw invalidParameter(`Invalid experiment ID '${id ?? "None"}'. Experiment ID must be a valid integer.`);
}

/**
 * The experiment id the store reads a request's id as (`03`, `+3`, ` 3` are experiment 3), for checks keyed by it;
 * text the store would refuse comes back unchanged.
 */
export function canonicalExperimentId(id: string): string {
  const text = id.trim();
  return /^[-+]?\d+$/.test(text) ? String(Number(text)) : id;
}

/** A new run id: uuid4 hex, as the reference generates. */
export function newRunUuid(): string {
  return crypto.randomUUID().replaceAll("-", "");
}

/** MLflow's `append_to_uri_path`: joins path segments onto a URI with single slashes. */
export function appendToUri(base: string, ...parts: string[]): string {
  let out = base;
  for (const part of parts) {
    const p = part.replace(/^\/+/, "");
    out = out.endsWith("/") ? out + p : `${out}/${p}`;
  }
  return out;
}
