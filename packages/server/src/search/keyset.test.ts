import { describe, expect, it } from "vitest";
import { afterRow, decodePageToken, encodePageToken, orderByKeys, type SortKey, selectKeys } from "./keyset.js";

const keys: SortKey[] = [
  { expr: "a", descending: false, type: "number" },
  { expr: "b", descending: true, type: "text" },
  { expr: "c", descending: false, type: "text" },
];

describe("keyset SQL", () => {
  it("selects and orders by aliased keys", () => {
    expect(selectKeys(keys)).toBe("a AS k0, b AS k1, c AS k2");
    expect(orderByKeys(keys)).toBe("k0, k1 DESC, k2");
  });

  it("compares lexicographically, following each key's direction, with a seekable range on the first key", () => {
    expect(afterRow(keys, [1, "x", "y"])).toEqual({
      sql: "a >= ? AND (a > ? OR (a = ? AND (b < ? OR (b = ? AND c > ?))))",
      args: [1, 1, 1, "x", "x", "y"],
    });
    expect(afterRow([{ expr: "d", descending: true, type: "number" }], [5])).toEqual({
      sql: "d <= ? AND d < ?",
      args: [5, 5],
    });
  });
});

describe("page tokens", () => {
  it("round-trip the last row's key values, unicode included", () => {
    const token = encodePageToken(keys, { k0: 1.5, k1: "größe/+?", k2: "z", other: 1 });
    expect(token).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(decodePageToken(keys, token)).toEqual([1.5, "größe/+?", "z"]);
  });

  it("accept standard base64 with padding too", () => {
    const token = btoa(JSON.stringify({ s: "n+t-t+", v: [2, "b", "c"] }));
    expect(decodePageToken(keys, token)).toEqual([2, "b", "c"]);
  });

  it("refuse a row without the keys", () => {
    expect(() => encodePageToken(keys, { k0: 1, k1: null, k2: "z" })).toThrow(TypeError);
    expect(() => encodePageToken(keys, { k0: Number.POSITIVE_INFINITY, k1: "a", k2: "z" })).toThrow(TypeError);
  });

  it.each([
    ["@@", "Invalid page token, could not base64-decode"],
    ["abcde", "Invalid page token, could not base64-decode"],
    [btoa("\xff\xfe"), "Invalid page token, could not base64-decode"],
    [btoa("nope"), "Invalid page token, decoded value=nope"],
    [btoa("null"), "Invalid page token, parsed value=null"],
    [btoa('{"s":"n+t-t+","v":[1,"b"]}'), 'Invalid page token, parsed value={"s":"n+t-t+","v":[1,"b"]}'],
    [btoa('{"s":"n+t-t+","v":["1","b","c"]}'), 'Invalid page token, parsed value={"s":"n+t-t+","v":["1","b","c"]}'],
    [btoa('{"s":"n-t-t+","v":[1,"b","c"]}'), 'Invalid page token, parsed value={"s":"n-t-t+","v":[1,"b","c"]}'],
  ])("refuse %s", (token, message) => {
    expect(() => decodePageToken(keys, token)).toThrow(message);
  });
});
