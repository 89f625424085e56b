import type { ModelVersion } from "@tracklite/schemas";
import { client } from "../api.js";

/**
 * Versions with their aliases filled in: a version search answers `aliases: []` (so does the reference's: its
 * search builds versions without them), so they are read from each registered model once. A model that cannot be
 * read leaves its versions as they were.
 */
export async function withAliases(versions: readonly ModelVersion[]): Promise<ModelVersion[]> {
  const names = [...new Set(versions.map((v) => v.name))];
  const models = await Promise.all(names.map((n) => client.getRegisteredModel(n).catch(() => undefined)));
  const byVersion = new Map<string, string[]>();
  for (const m of models) {
    for (const a of m?.aliases ?? []) {
      const key = `${m?.name}\u0000${a.version}`;
      byVersion.set(key, [...(byVersion.get(key) ?? []), a.alias]);
    }
  }
  return versions.map((v) => {
    const aliases = byVersion.get(`${v.name}\u0000${v.version}`);
    return aliases ? { ...v, aliases: [...new Set([...(v.aliases ?? []), ...aliases])].sort() } : v;
  });
}
