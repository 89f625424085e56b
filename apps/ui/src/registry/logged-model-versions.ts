/** The registered versions made from one logged model (MLflow 3). */
import type { LoggedModel, ModelVersion } from "@tracklite/schemas";
import { client } from "../api.js";
import { taggedVersions } from "./logged-model-tag.js";
import { withAliases } from "./with-aliases.js";

const key = (name: string, version: string) => `${name}\u0000${version}`;

/**
 * The versions whose source is this logged model (`models:/m-…`) among those of its source run, plus those its
 * `mlflow.modelVersions` tag names (a version registered from another run's context); with their aliases, sorted
 * by name, newest version first. A tagged version that no longer exists is left out.
 */
export async function loadLoggedModelVersions(m: LoggedModel): Promise<ModelVersion[]> {
  const id = m.info.model_id;
  const found = new Map<string, ModelVersion>();
  const runId = m.info.source_run_id;
  if (runId) {
    for await (const v of client.iterateModelVersions({ filterString: `run_id = '${runId}'` })) {
      // A source `models:/m-…` (see model-source.ts; not imported, to keep this lazy chunk's imports few).
      if (/^models:\/+(m-[0-9a-zA-Z]+)\/?$/.exec((v.source ?? "").trim())?.[1] === id) {
        found.set(key(v.name, v.version), v);
      }
    }
  }
  const missing = taggedVersions(m).filter((r) => !found.has(key(r.name, r.version)));
  const extra = await Promise.all(missing.map((r) => client.getModelVersion(r.name, r.version).catch(() => undefined)));
  for (const v of extra) if (v) found.set(key(v.name, v.version), v);
  const list = await withAliases([...found.values()]);
  return list.sort((a, b) => a.name.localeCompare(b.name) || Number(b.version) - Number(a.version));
}
