import { invalidParameter } from "../errors.js";
import { pyReprJson } from "../validation/python-values.js";
import { pyInt } from "./python-compat.js";

/**
 * The registry searches' page tokens, as the reference writes and reads them: base64 of `{"offset": N}`. Offsets are
 * what the reference pages by; a registry is small, and tokens then stay interchangeable with the reference's.
 * @see mlflow/utils/search_utils.py SearchUtils.create_page_token, parse_start_offset_from_page_token
 */

/** Also metric history's token: one format, written with `json.dumps`'s spacing as the reference writes it. */
export function encodeOffsetToken(offset: number): string {
  return btoa(`{"offset": ${offset}}`);
}

/** Python's lenient `base64.b64decode`: characters outside the alphabet are skipped, the padding must fit. */
function b64decode(token: string): Uint8Array | undefined {
  const chars = token.replace(/[^A-Za-z0-9+/=]/g, "");
  const data = chars.split("=")[0] ?? "";
  const padding = chars.length - data.length;
  const rest = data.length % 4;
  if (rest === 1 || (rest === 2 && padding < 2) || (rest === 3 && padding < 1)) return undefined;
  const binary = atob(data + "=".repeat((4 - rest) % 4));
  return Uint8Array.from(binary, (c) => c.charCodeAt(0));
}

/** Python's repr of bytes: `b'...'` with escapes for quotes, backslashes and non-printable bytes. */
function pyBytes(bytes: Uint8Array): string {
  const text = Array.from(bytes, (b) => String.fromCharCode(b)).join("");
  const q = text.includes("'") && !text.includes('"') ? '"' : "'";
  let out = "";
  for (const b of bytes) {
    const ch = String.fromCharCode(b);
    if (ch === "\\" || ch === q) out += `\\${ch}`;
    else if (ch === "\n") out += "\\n";
    else if (ch === "\r") out += "\\r";
    else if (ch === "\t") out += "\\t";
    else if (b < 0x20 || b >= 0x7f) out += `\\x${b.toString(16).padStart(2, "0")}`;
    else out += ch;
  }
  return `b${q}${out}${q}`;
}

/** The offset a page token carries (0 without a token), refused with the reference's messages. */
export function decodeRegistryPageToken(token: string | undefined): number {
  if (!token) return 0;
  const bytes = b64decode(token);
  if (!bytes) throw invalidParameter("Invalid page token, could not base64-decode");
  let parsed: unknown;
  try {
    parsed = JSON.parse(new TextDecoder("utf-8", { fatal: true }).decode(bytes));
  } catch {
    throw invalidParameter(`Invalid page token, decoded value=${pyBytes(bytes)}`);
  }
  // The reference crashes on a token that is not an object; tracklite refuses it like other bad tokens.
  const offset =
    parsed !== null && typeof parsed === "object" && !Array.isArray(parsed)
      ? (parsed as Record<string, unknown>).offset
      : undefined;
  if (!offset) throw invalidParameter(`Invalid page token, parsed value=${pyReprJson(parsed)}`);
  const n =
    typeof offset === "number"
      ? Math.trunc(offset)
      : offset === true
        ? 1
        : typeof offset === "string"
          ? pyInt(offset)
          : undefined;
  if (n === undefined)
    throw invalidParameter(
      `Invalid page token, not stringable ${typeof offset === "string" ? offset : pyReprJson(offset)}`,
    );
  // An offset SQLite cannot take (`{"offset": 1e30}`) crashes the reference ("Python int too large to convert to
  // SQLite INTEGER", HTTP 500); tracklite refuses it like other bad tokens.
  if (!Number.isSafeInteger(n)) throw invalidParameter(`Invalid page token, parsed value=${pyReprJson(parsed)}`);
  return n;
}
