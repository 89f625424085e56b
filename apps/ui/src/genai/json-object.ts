/**
 * JSON text held inside GenAI wire messages (a dataset's tags, schema and profile; a serialized scorer), read once.
 * (Python writes NaN for a float that is not a number: such text reads as `{}` here, shown raw elsewhere.)
 */

/** A JSON object's members. */
export type JsonObject = Record<string, unknown>;

export const isObject = (v: unknown): v is JsonObject => typeof v === "object" && v !== null && !Array.isArray(v);

/** JSON text to an object, or `{}` when it is empty, null or not an object (a dataset without tags, say). */
export function parseJsonObject(text: string | undefined | null): JsonObject {
  if (!text) return {};
  try {
    const v = JSON.parse(text) as unknown;
    return isObject(v) ? v : {};
  } catch {
    return {};
  }
}
