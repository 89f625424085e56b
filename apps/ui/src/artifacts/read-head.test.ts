import { describe, expect, it } from "vitest";
import { decodeText, readHead } from "./read-head.js";

/** A stream of the given chunks that records whether it was cancelled and how many chunks were pulled. */
function source(chunks: Uint8Array[]) {
  const state = { cancelled: false, pulled: 0 };
  const stream = new ReadableStream<Uint8Array>(
    {
      pull(controller) {
        const next = chunks[state.pulled++];
        if (next) controller.enqueue(next);
        else controller.close();
      },
      cancel() {
        state.cancelled = true;
      },
    },
    { highWaterMark: 0 },
  );
  return { stream, state };
}

const bytes = (n: number, fill = 97) => new Uint8Array(n).fill(fill);

describe("readHead", () => {
  it("reads a short stream whole", async () => {
    const { stream, state } = source([bytes(10), bytes(5)]);
    const head = await readHead(stream, 100);
    expect(head.bytes.length).toBe(15);
    expect(head.truncated).toBe(false);
    expect(state.cancelled).toBe(false);
  });

  it("stops at the limit and cancels the rest", async () => {
    const { stream, state } = source(Array.from({ length: 100 }, () => bytes(64)));
    const head = await readHead(stream, 200);
    expect(head.bytes.length).toBe(200);
    expect(head.truncated).toBe(true);
    expect(state.cancelled).toBe(true);
    expect(state.pulled).toBeLessThan(10);
  });

  it("is not truncated when the stream ends exactly at the limit", async () => {
    const { stream } = source([bytes(50), bytes(50)]);
    const head = await readHead(stream, 100);
    expect(head).toMatchObject({ truncated: false });
    expect(head.bytes.length).toBe(100);
  });

  it("is truncated when more follows exactly at the limit", async () => {
    const { stream, state } = source([bytes(50), bytes(50), bytes(1)]);
    const head = await readHead(stream, 100);
    expect(head.truncated).toBe(true);
    expect(state.cancelled).toBe(true);
  });

  it("keeps the bytes in order", async () => {
    const { stream } = source([new Uint8Array([1, 2, 3]), new Uint8Array([4, 5, 6])]);
    expect([...(await readHead(stream, 4)).bytes]).toEqual([1, 2, 3, 4]);
  });
});

describe("decodeText", () => {
  it("drops a character cut in half at the end of a partial read", () => {
    const euro = new TextEncoder().encode("a€"); // € is three bytes
    expect(decodeText(euro.subarray(0, 3), true)).toBe("a");
    expect(decodeText(euro, false)).toBe("a€");
  });
});
