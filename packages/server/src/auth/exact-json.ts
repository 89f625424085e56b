/**
 * JSON that keeps integers beyond 2^53 exact through a parse and a write: a trace's span times are nanoseconds (about
 * 1.7e18), which `JSON.parse` would round. Answers rewritten by the permission checks (trace redaction) go through
 * these, so that withholding a trace's metadata does not change its spans' times.
 */

/** Stands for an unsafe integer while the value is in memory (a NUL never appears raw in JSON text). */
const MARK = "\u0000tracklite-exact-int:";
const MARKED = /"\\u0000tracklite-exact-int:(-?\d+)"/g;
const NUMBER_CHAR = /[0-9.eE+-]/;

/** JSON.parse, with every integer that a number cannot hold exactly kept as its digits. */
export function parseExact(text: string): unknown {
  let out = "";
  let last = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i] as string;
    if (inString) {
      if (ch === "\\") i++;
      else if (ch === '"') inString = false;
      continue;
    }
    if (ch === '"') {
      inString = true;
      continue;
    }
    if (ch === "-" || (ch >= "0" && ch <= "9")) {
      let j = i + 1;
      while (j < text.length && NUMBER_CHAR.test(text[j] as string)) j++;
      const num = text.slice(i, j);
      if (/^-?\d{16,}$/.test(num) && !Number.isSafeInteger(Number(num))) {
        out += text.slice(last, i) + JSON.stringify(MARK + num);
        last = j;
      }
      i = j - 1;
    }
  }
  return JSON.parse(out + text.slice(last));
}

/** JSON.stringify, writing the integers `parseExact` kept back as the bare digits they were. */
export function stringifyExact(value: unknown): string {
  return JSON.stringify(value).replace(MARKED, "$1");
}
