import { describe, expect, it } from "vitest";
import { parseJsonYielding } from "./json-parse-yielding.js";
import { parseJsonLeniently } from "./parse-request.js";

/** Both readers must agree on every input: the yielding one only changes when the work is done. */
const same = async (text: string) => {
  const expected = parseJsonLeniently(text);
  const got = await parseJsonYielding(text);
  expect(got, text.slice(0, 80)).toStrictEqual(expected);
  if (expected !== null && typeof expected === "object") {
    expect(Object.keys(got as object)).toEqual(Object.keys(expected));
  }
};

describe("parseJsonYielding", () => {
  it.each([
    "{}",
    "[]",
    " \n\t{ } \r\n",
    '{"a":1,"b":[true,false,null],"c":{"d":"e"}}',
    '{"a":1,"a":2}',
    '{"2":"x","1":"y","b":0}',
    '{"__proto__":{"polluted":true}}',
    '"a string"',
    '"esc \\" \\\\ \\n \\u00e9 \\ud83d\\ude00 \\/"',
    '"\\\\"',
    '["\\\\\\"",1]',
    "-0",
    "1e400",
    "[-1.5e-3, 0.1, 12345678901234567890, 0]",
    '{"v": NaN, "w": [Infinity, -Infinity]}',
    '{"v": "NaN"}',
    "",
    "   ",
    "{",
    "[1,]",
    '{"a":1,}',
    "[1 2]",
    '{"a" 1}',
    "01",
    "1.",
    ".5",
    "+1",
    "tru",
    "nul",
    "[1]x",
    '"unterminated',
    '"tab\there"',
    "Infinityx",
    "[NaN1]",
    '{"a":[{"b":[{"c":[]}]}]}',
  ])("reads %j as parseJsonLeniently does", same);

  it("reads generated documents as JSON.parse does", async () => {
    let seed = 7;
    const rand = () => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return seed / 2147483648;
    };
    const gen = (depth: number): unknown => {
      const r = rand();
      if (depth > 4 || r < 0.3) return [1.5, -2, 's"q\\u', true, null, "é😀", 1e-7][Math.floor(rand() * 7)];
      if (r < 0.65) return Array.from({ length: Math.floor(rand() * 5) }, () => gen(depth + 1));
      return Object.fromEntries(Array.from({ length: Math.floor(rand() * 5) }, (_, i) => [`k${i}\n"`, gen(depth + 1)]));
    };
    for (let n = 0; n < 200; n++) await same(JSON.stringify(gen(0), null, n % 3));
  });

  it("gives the event loop back while it reads a large body", async () => {
    const item = JSON.stringify({ key: "loss", value: 0.5, timestamp: 1700000000000, step: 1 });
    const text = `{"metrics":[${Array(200_000).fill(item).join(",")}]}`;
    let ticks = 0;
    const timer = setInterval(() => ticks++, 1);
    const parsed = (await parseJsonYielding(text)) as { metrics: unknown[] };
    clearInterval(timer);
    expect(parsed.metrics).toHaveLength(200_000);
    expect(ticks).toBeGreaterThan(0);
  });

  it("reads nesting of any depth without recursion", async () => {
    const deep = `${"[".repeat(100_000)}${"]".repeat(100_000)}`;
    let v = await parseJsonYielding(deep);
    let depth = 0;
    while (Array.isArray(v) && v.length > 0) {
      v = v[0];
      depth++;
    }
    expect(depth).toBe(99_999);
  });
});
