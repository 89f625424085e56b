import { isProxiedUri, proxiedRoot } from "@tracklite/server";

/** Whose files a location holds: the target path of a copied location follows tracklite's own layout for it. */
export type ArtifactOwner =
  | { kind: "run"; experimentId: string; runId: string }
  | { kind: "logged-model"; experimentId: string; modelId: string }
  | { kind: "model-version"; name: string; version: string };

/** Where a source location's files go in tracklite's `--artifacts-destination`, and the URI that names them there. */
export interface TargetLocation {
  /** `mlflow-artifacts:/<path>`: served by tracklite's artifact proxy. */
  uri: string;
  /** Path in the destination store, `/`-separated, no leading slash. */
  path: string;
}

/** The checkpoint unit of one owner's copied artifacts (for `ImportSink.isDone`/`markDone`). */
export function artifactUnit(owner: ArtifactOwner): string {
  if (owner.kind === "run") return `artifacts:run:${owner.runId}`;
  if (owner.kind === "logged-model") return `artifacts:model:${owner.modelId}`;
  return `artifacts:version:${owner.name}/${owner.version}`;
}

/**
 * The rule for artifact URIs in the target. Every location's files are copied into tracklite's artifacts destination,
 * and the run/model/version is written with an `mlflow-artifacts:/` URI, so that clients (download_artifacts, the UI,
 * log_artifact on a resumed run) reach them through tracklite's proxy whatever the source kept them on:
 * - `mlflow-artifacts:/P` (the source server proxied them): kept as is, the files land at P.
 * - a local path, `file:` URI or `s3://` location (the old machine's folder, the old bucket): rewritten to
 *   tracklite's own layout, `<experiment>/<run>/artifacts` for a run, `<experiment>/models/<model>/artifacts` for a
 *   logged model (with the target experiment id), `model-versions/<name>/<version>` for a version whose files are not
 *   under its run's or model's location (see `LocationMap`).
 * @see mlflow/store/tracking/sqlalchemy_store.py (run and logged-model artifact locations)
 */
export function targetArtifactLocation(sourceUri: string, owner: ArtifactOwner): TargetLocation {
  const path = isProxiedUri(sourceUri) ? proxiedRoot(sourceUri) : ownPath(owner);
  return { uri: `mlflow-artifacts:/${path}`, path };
}

function ownPath(owner: ArtifactOwner): string {
  if (owner.kind === "run") return `${owner.experimentId}/${owner.runId}/artifacts`;
  if (owner.kind === "logged-model") return `${owner.experimentId}/models/${owner.modelId}/artifacts`;
  return `model-versions/${encodeURIComponent(owner.name)}/${owner.version}`;
}

/** A URI without trailing slashes, for prefix comparisons. */
const trimmed = (uri: string) => uri.replace(/\/+$/, "");

/**
 * Source → target locations of the runs and logged models already placed, so that a model version's `source` or
 * `storage_location` inside one of them (`…/<run>/artifacts/model`, a logged model's location) is rewritten to the
 * copy instead of being copied a second time. Longest match wins, on whole path segments.
 */
export class LocationMap {
  readonly #targets = new Map<string, string>();

  add(sourceUri: string, targetUri: string): void {
    this.#targets.set(trimmed(sourceUri), trimmed(targetUri));
  }

  /** The target URI of `uri` when it is (below) a placed location; undefined otherwise (`runs:/`, `models:/`…). */
  rewrite(uri: string): string | undefined {
    let prefix = trimmed(uri);
    let rest = "";
    for (;;) {
      const target = this.#targets.get(prefix);
      if (target !== undefined) return target + rest;
      const cut = prefix.lastIndexOf("/");
      if (cut <= 0 || prefix.slice(0, cut).endsWith(":") || prefix.slice(0, cut).endsWith("/")) return undefined;
      rest = prefix.slice(cut) + rest;
      prefix = prefix.slice(0, cut);
    }
  }
}
