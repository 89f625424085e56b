import type { Span } from "@tracklite/schemas";

/** 8 bytes of `n` as base64, the way `traces/get` sends span ids. */
export function spanId(n: number): string {
  const b = new Uint8Array(8);
  new DataView(b.buffer).setBigUint64(0, BigInt(n) + 1n);
  return btoa(String.fromCharCode(...b));
}

/**
 * A wide and deep trace of `n` spans shaped like MLflow's `traces/get` answer: span i's parent is (i − 1) / 4 (a
 * 4-ary tree), in start order, attributes in OTel's AnyValue form, every 97th span an error.
 */
export function bigTrace(n: number, t0 = 1_796_542_262_709_803_000): Span[] {
  const spans: Span[] = new Array(n);
  for (let i = 0; i < n; i++) {
    spans[i] = {
      trace_id: "x1coVrQVK+b72lfVX7qYJw==",
      span_id: spanId(i),
      ...(i > 0 ? { parent_span_id: spanId(Math.floor((i - 1) / 4)) } : {}),
      name: `step-${i}`,
      start_time_unix_nano: t0 + i * 1000,
      end_time_unix_nano: t0 + i * 1000 + (n - i) * 1000,
      attributes: [
        { key: "mlflow.spanType", value: { string_value: i % 3 === 0 ? "TOOL" : "CHAIN" } },
        { key: "mlflow.spanInputs", value: { kvlist_value: { values: [{ key: "i", value: { int_value: i } }] } } },
      ],
      status: { code: i % 97 === 5 ? "STATUS_CODE_ERROR" : "STATUS_CODE_OK" },
    };
  }
  return spans;
}
