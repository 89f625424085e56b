/**
 * Experiments of a FileStore: `mlruns/<id>/meta.yaml` (active) and `mlruns/.trash/<id>/meta.yaml` (deleted), tags in
 * `<id>/tags/<key>`. Built as the reference's `Experiment.to_proto()` answers them.
 * @see mlflow/store/tracking/file_store.py _get_experiment, _get_active_experiments, _get_deleted_experiments
 */
import { join } from "node:path";
import type { Experiment } from "@tracklite/schemas";

import { num, readKeyValueFolder, readYaml, type Skips, str, subdirs, TRASH } from "./layout.js";

/** An experiment folder: where it is, and the id its folder is named by. */
export interface ExperimentDir {
  id: string;
  dir: string;
}

/**
 * Every experiment folder, active ones first then deleted ones. `models` (the registry) and `.trash` are not
 * experiments; an id found in both places is read from the active one (the reference looks there first).
 */
export async function listExperimentDirs(root: string): Promise<ExperimentDir[]> {
  const active = (await subdirs(root)).filter((n) => n !== TRASH && n !== "models");
  const seen = new Set(active);
  const deleted = (await subdirs(join(root, TRASH))).filter((n) => !seen.has(n));
  return [
    ...active.map((id) => ({ id, dir: join(root, id) })),
    ...deleted.map((id) => ({ id, dir: join(root, TRASH, id) })),
  ];
}

/**
 * The experiment in `dir`, or undefined (with the reason in `skipped`) when its meta.yaml is missing or names
 * another id: the reference ignores such a folder too (folders of artifacts may sit under the root).
 */
export async function readExperiment(exp: ExperimentDir, skipped: Skips): Promise<Experiment | undefined> {
  const meta = await readYaml(exp.dir);
  if (meta === undefined) {
    skipped.push({ what: `folder ${exp.dir}`, reason: "no meta.yaml: not an experiment" });
    return undefined;
  }
  const id = str(meta.experiment_id);
  if (id !== exp.id) {
    skipped.push({
      what: `experiment folder ${exp.dir}`,
      reason: `its meta.yaml names experiment ${id ?? "(none)"}; the reference ignores it too`,
    });
    return undefined;
  }
  const experiment: Experiment = {
    experiment_id: id,
    name: str(meta.name) ?? `experiment_${id}`,
    lifecycle_stage: str(meta.lifecycle_stage) ?? "active",
  };
  const artifactLocation = str(meta.artifact_location);
  if (artifactLocation !== undefined) experiment.artifact_location = artifactLocation;
  const lastUpdate = num(meta.last_update_time);
  if (lastUpdate !== undefined) experiment.last_update_time = lastUpdate;
  const creation = num(meta.creation_time);
  if (creation !== undefined) experiment.creation_time = creation;
  const tags = await readKeyValueFolder(join(exp.dir, "tags"));
  if (tags.length > 0) experiment.tags = tags;
  // MLflow 2.x wrote no workspace; the reference (3.x) answers "default" for such an experiment.
  experiment.workspace = str(meta.workspace) ?? "default";
  return experiment;
}

/** Does the experiment match `--experiments` (ids or names)? */
export function experimentPicked(experiment: Experiment, picks: string[] | undefined): boolean {
  return picks === undefined || picks.includes(experiment.experiment_id) || picks.includes(experiment.name);
}
