/**
 * Parses YAML (an MLmodel file) with js-yaml, loaded on first use so it stays out of the pages that never show one.
 * The core schema reads YAML 1.2's plain scalars only: a `utc_time_created` stays the string the client wrote, never a
 * Date.
 */
export async function parseYaml(text: string): Promise<unknown> {
  const { load, CORE_SCHEMA } = await import("js-yaml");
  return load(text, { schema: CORE_SCHEMA });
}
