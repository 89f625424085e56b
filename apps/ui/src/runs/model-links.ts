/**
 * What the runs table's Models cell links to: the registered versions made from a run (`wine-classifier v5`, to the
 * version page), then its logged models that are not registered (by name, to the logged model page), then models of
 * the `mlflow.log-model.history` tag known only by artifact path (to the run's artifacts).
 * @see MLflow's ModelsCellRenderer: registered versions by run, plus those a logged model's `mlflow.modelVersions`
 *   tag lists; unregistered MLflow 3 models by name, linked to `/experiments/:id/models/:modelId`.
 */
import type { LoggedModel, ModelVersion } from "@tracklite/schemas";
import { loggedModelHref, taggedVersions, versionHref } from "../registry/logged-model-tag.js";
import { parseModelSource } from "../registry/model-source.js";
import { href, seg } from "../router.js";
import { shortModel } from "./columns.js";
import type { RunRow } from "./run-fields.js";

/** One entry of a Models cell. */
export interface ModelLink {
  kind: "version" | "logged-model" | "artifact";
  /** The registered model's name, the logged model's name, or the artifact path. */
  label: string;
  /** The version number (registered versions only). */
  version?: string;
  href: string;
  /** The full text for the tooltip. */
  title: string;
}

/**
 * The links of one run's Models cell.
 * @param versions registered versions whose `run_id` is this run
 * @param models the run's logged models that could be read, by id
 */
export function modelLinksOf(
  row: RunRow,
  experimentId: string,
  versions: readonly ModelVersion[],
  models: ReadonlyMap<string, LoggedModel>,
): ModelLink[] {
  const regs = new Map<string, { name: string; version: string; modelId?: string; path?: string }>();
  const add = (name: string, version: string, modelId?: string, path?: string) => {
    const key = `${name}\u0000${version}`;
    const had = regs.get(key);
    regs.set(key, { name, version, modelId: had?.modelId ?? modelId, path: had?.path ?? path });
  };
  for (const v of versions) {
    const src = parseModelSource(v.source ?? "");
    // A `runs:/<run>/<path>` source is stored resolved: `…/<run>/artifacts/<path>`.
    const stored = src.kind === "artifacts" ? src.uri.split(`/${row.id}/artifacts/`)[1] : undefined;
    add(
      v.name,
      v.version,
      src.kind === "logged-model" ? src.modelId : undefined,
      src.kind === "run" ? src.path : stored,
    );
  }
  for (const id of row.models) {
    for (const r of taggedVersions(models.get(id))) add(r.name, r.version, id);
  }
  const sorted = [...regs.values()].sort(
    (a, b) => a.name.localeCompare(b.name) || Number(b.version) - Number(a.version),
  );
  const registeredIds = new Set(sorted.map((r) => r.modelId).filter(Boolean));
  const registeredPaths = new Set(sorted.map((r) => r.path).filter(Boolean));
  const out: ModelLink[] = sorted.map((r) => ({
    kind: "version",
    label: r.name,
    version: r.version,
    href: versionHref(r.name, r.version),
    title: `${r.name} version ${r.version}${r.modelId ? ` (logged model ${r.modelId})` : ""}`,
  }));
  for (const id of row.models) {
    if (registeredIds.has(id) || registeredPaths.has(id)) continue;
    if (/^m-[0-9a-f]+$/.test(id)) {
      const m = models.get(id);
      out.push({
        kind: "logged-model",
        label: m?.info.name ?? shortModel(id),
        href: loggedModelHref(m?.info.experiment_id ?? experimentId, id),
        title: `Logged model ${m?.info.name ?? ""} ${id}`.replace(/ {2}/, " "),
      });
    } else {
      out.push({
        kind: "artifact",
        label: id,
        href: href(`/experiments/${seg(experimentId)}/runs/${seg(row.id)}`, { tab: "artifacts", path: id }),
        title: `Model at ${id} in the run's artifacts`,
      });
    }
  }
  return out;
}
