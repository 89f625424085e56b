import type { Context } from "hono";

/** Bodies longer than this (in UTF-16 units) are parsed in slices that let other requests through. */
export const YIELDING_PARSE_MIN = 1 << 20;

const utf8 = new TextDecoder("utf-8", { fatal: true });

/**
 * The body as text, or "" when its bytes are not UTF-8: the reference cannot read such a body as JSON and treats it
 * as empty (then its required-field checks answer), where decoding with replacement characters would store U+FFFD
 * in place of what the client sent.
 */
export async function readBodyText(c: Context): Promise<string> {
  try {
    return utf8.decode(await c.req.arrayBuffer());
  } catch (err) {
    if (err instanceof TypeError) return "";
    throw err;
  }
}
