import { invalidParameter } from "../errors.js";

/** The reference's page token: base64 of `{"offset": N}`. */
export function encodeOffsetToken(offset: number): string {
  return btoa(JSON.stringify({ offset }));
}

export function decodeOffsetToken(token: string | undefined): number {
  if (!token) return 0;
  let decoded: string;
  try {
    decoded = atob(token);
  } catch {
    throw invalidParameter("Invalid page token, could not base64-decode");
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(decoded);
  } catch {
    throw invalidParameter(`Invalid page token, decoded value=${decoded}`);
  }
  const offset = (parsed as { offset?: unknown } | null)?.offset;
  if (typeof offset !== "number" || !Number.isInteger(offset) || offset < 0) {
    throw invalidParameter(`Invalid page token, parsed value=${decoded}`);
  }
  return offset;
}
