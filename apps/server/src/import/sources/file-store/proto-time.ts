/**
 * Protobuf's JSON forms of Timestamp and Duration, for trace infos whose files hold milliseconds (MLflow 2.x's
 * `timestamp_ms`, both versions' execution time in ms).
 * @see google/protobuf/json_format: Timestamp.ToJsonString, Duration.ToJsonString (0, 3, 6 or 9 fraction digits)
 */

/** `2026-12-06T19:39:54.383Z`, or `…:54Z` on a whole second, as Timestamp.FromMilliseconds + ToJsonString. */
export function timestampJson(ms: number): string {
  const iso = new Date(ms).toISOString();
  return ms % 1000 === 0 ? iso.replace(".000Z", "Z") : iso;
}

/** `0.290s`, `2s`, as Duration.FromMilliseconds + ToJsonString. */
export function durationJson(ms: number): string {
  const whole = Math.trunc(ms / 1000);
  const rest = Math.abs(ms % 1000);
  const sign = ms < 0 && whole === 0 ? "-" : "";
  return rest === 0 ? `${whole}s` : `${sign}${whole}.${String(rest).padStart(3, "0")}s`;
}
