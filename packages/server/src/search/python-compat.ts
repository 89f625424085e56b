/**
 * The bits of Python the reference's search messages and list syntax are made of: `repr()` of strings, floats, tuples
 * and sets (error messages quote them), `int()` of a string (experiment ids) and a small `ast.literal_eval` for the
 * parenthesised lists of `IN (...)`.
 */

/** A Python value as `literal_eval` can produce it, enough to tell strings apart and to print the rest. */
export type PyValue =
  | string
  | { py: "int" | "float"; value: number; text: string }
  | { py: "const"; text: "None" | "True" | "False" }
  | { py: "bytes"; text: string }
  | { py: "tuple" | "list"; items: PyValue[] };

/** Python's `repr(str)`: single quotes unless the string holds a single quote and no double quote. */
export function pyStr(s: string): string {
  const q = s.includes("'") && !s.includes('"') ? '"' : "'";
  let out = "";
  for (const ch of s) {
    if (ch === "\\") out += "\\\\";
    else if (ch === q) out += `\\${q}`;
    else if (ch === "\n") out += "\\n";
    else if (ch === "\r") out += "\\r";
    else if (ch === "\t") out += "\\t";
    else if (ch < " " || ch === "\x7f") out += `\\x${ch.charCodeAt(0).toString(16).padStart(2, "0")}`;
    else out += ch;
  }
  return q + out + q;
}

/** Python's `repr(float)`: shortest round-trip digits, `.0` on integral values, exponent outside [1e-4, 1e16). */
export function pyFloat(n: number): string {
  if (Number.isNaN(n)) return "nan";
  if (!Number.isFinite(n)) return n > 0 ? "inf" : "-inf";
  if (n === 0) return Object.is(n, -0) ? "-0.0" : "0.0";
  const [mantissa = "", expText = "0"] = n.toExponential().split("e");
  const exp = Number(expText);
  if (exp < -4 || exp >= 16) {
    return `${mantissa}e${exp < 0 ? "-" : "+"}${String(Math.abs(exp)).padStart(2, "0")}`;
  }
  const fixed = String(n);
  return fixed.includes(".") || fixed.includes("e") ? fixed : `${fixed}.0`;
}

/** Python's repr of a literal value (tuples print `(x,)` when they hold one item). */
export function pyRepr(v: PyValue): string {
  if (typeof v === "string") return pyStr(v);
  if ("items" in v) {
    const inner = v.items.map(pyRepr).join(", ");
    if (v.py === "list") return `[${inner}]`;
    return v.items.length === 1 ? `(${inner},)` : `(${inner})`;
  }
  return v.text;
}

/** Python's repr of a set of strings, in the given order (CPython's own order is per-process random). */
export function pySet(items: Iterable<string>): string {
  return `{${[...items].map(pyStr).join(", ")}}`;
}

/** Python's repr of a list of strings. */
export function pyList(items: Iterable<string>): string {
  return `[${[...items].map(pyStr).join(", ")}]`;
}

/** Python's `int(s)` for a string: surrounding whitespace, a sign, digits with single underscores between them. */
export function pyInt(s: string): number | undefined {
  const m = /^\s*([+-]?)(\d+(?:_\d+)*)\s*$/.exec(s);
  if (!m) return undefined;
  return Number(`${m[1]}${m[2]?.replaceAll("_", "")}`);
}

/** Thrown by {@link literalEval} where Python raises SyntaxError or ValueError. */
export class LiteralSyntaxError extends Error {}

const ESCAPES: Record<string, string> = { n: "\n", t: "\t", r: "\r", "0": "\0", a: "\x07", b: "\b", f: "\f", v: "\v" };

/**
 * `ast.literal_eval` for what can appear between the parentheses of `IN (...)`: strings (quotes, escapes, r/u/b
 * prefixes, implicit concatenation), numbers, None/True/False and nested tuples or lists.
 */
export function literalEval(text: string): PyValue {
  let pos = 0;
  const ws = () => {
    while (pos < text.length && /\s/.test(text[pos] ?? "")) pos++;
  };
  const fail = (): never => {
    throw new LiteralSyntaxError(text);
  };

  const stringAt = (): { value: string; bytes: boolean } | undefined => {
    const m = /^([rRuUbB]{0,2})(['"])/.exec(text.slice(pos));
    if (!m) return undefined;
    const prefix = (m[1] ?? "").toLowerCase();
    const quote = m[2] ?? "'";
    pos += m[0].length;
    let out = "";
    for (;;) {
      if (pos >= text.length) fail();
      const ch = text[pos] ?? "";
      if (ch === quote) break;
      if (ch === "\n") fail();
      if (ch === "\\" && pos + 1 < text.length) {
        const next = text[pos + 1] ?? "";
        if (prefix.includes("r")) out += ch + next;
        else if (next === "x" && /^[0-9a-fA-F]{2}$/.test(text.slice(pos + 2, pos + 4))) {
          out += String.fromCharCode(Number.parseInt(text.slice(pos + 2, pos + 4), 16));
          pos += 2;
        } else if (next === "u" && /^[0-9a-fA-F]{4}$/.test(text.slice(pos + 2, pos + 6))) {
          out += String.fromCharCode(Number.parseInt(text.slice(pos + 2, pos + 6), 16));
          pos += 4;
        } else if (next === "\\" || next === "'" || next === '"') out += next;
        else if (next === "\n") out += "";
        else out += ESCAPES[next] ?? ch + next;
        pos += 2;
        continue;
      }
      out += ch;
      pos++;
    }
    pos++;
    return { value: out, bytes: prefix.includes("b") };
  };

  const value = (): PyValue => {
    ws();
    const first = stringAt();
    if (first) {
      let s = first.value;
      for (;;) {
        ws();
        const more = stringAt();
        if (!more) break;
        if (more.bytes !== first.bytes) fail();
        s += more.value;
      }
      return first.bytes ? { py: "bytes", text: `b${pyStr(s)}` } : s;
    }
    const ch = text[pos];
    if (ch === "(" || ch === "[") {
      pos++;
      const close = ch === "(" ? ")" : "]";
      const items: PyValue[] = [];
      let sawComma = false;
      for (;;) {
        ws();
        if (text[pos] === close) break;
        items.push(value());
        ws();
        if (text[pos] === ",") {
          pos++;
          sawComma = true;
        } else if (text[pos] !== close) fail();
      }
      pos++;
      if (ch === "(" && items.length === 1 && !sawComma) return items[0] as PyValue;
      return { py: ch === "(" ? "tuple" : "list", items };
    }
    const num = /^[+-]?(\d[\d_]*\.?[\d_]*(e[+-]?\d+)?|\.\d[\d_]*(e[+-]?\d+)?)/i.exec(text.slice(pos));
    if (num) {
      pos += num[0].length;
      const clean = num[0].replaceAll("_", "");
      const isFloat = /[.e]/i.test(clean);
      const n = Number(clean);
      return { py: isFloat ? "float" : "int", value: n, text: isFloat ? pyFloat(n) : String(BigInt(clean)) };
    }
    const word = /^(None|True|False)\b/.exec(text.slice(pos));
    if (word) {
      pos += word[0].length;
      return { py: "const", text: word[0] as "None" | "True" | "False" };
    }
    return fail();
  };

  const result = value();
  ws();
  if (pos !== text.length) fail();
  return result;
}
