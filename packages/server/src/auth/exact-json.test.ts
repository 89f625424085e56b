import { describe, expect, it } from "vitest";
import { parseExact, stringifyExact } from "./exact-json.js";

describe("exact JSON", () => {
  it("keeps nanosecond times through a parse and a write, and leaves everything else as JSON does", () => {
    const text =
      '{"spans":[{"start_time_unix_nano":1767225600123456789,"end_time_unix_nano":-1767225600123456789,' +
      '"name":"a \\"quoted\\" 1767225600123456789","n":42,"x":1.5e+300,"safe":9007199254740991}]}';
    const value = parseExact(text) as { spans: Record<string, unknown>[] };
    expect(value.spans[0]?.name).toBe('a "quoted" 1767225600123456789');
    expect(value.spans[0]?.n).toBe(42);
    expect(value.spans[0]?.safe).toBe(9007199254740991);
    expect(stringifyExact(value)).toBe(text);
    expect(JSON.stringify(JSON.parse(text))).not.toBe(text);
  });
});
