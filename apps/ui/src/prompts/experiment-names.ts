import { client } from "../api.js";

const cache = new Map<string, Promise<string | undefined>>();

/**
 * The names of experiments by id, for the prompt pages' links (a prompt lists its experiments by id only). An
 * experiment that cannot be read (deleted, or not the user's to see) is left out: the link then shows its id.
 */
export async function experimentNames(ids: readonly string[]): Promise<Record<string, string>> {
  const names = await Promise.all(
    ids.map((id) => {
      let name = cache.get(id);
      if (!name) {
        name = client.getExperiment(id).then(
          (e) => e.name,
          () => undefined,
        );
        cache.set(id, name);
      }
      return name.then((n) => [id, n] as const);
    }),
  );
  return Object.fromEntries(names.filter((e): e is readonly [string, string] => e[1] !== undefined));
}
