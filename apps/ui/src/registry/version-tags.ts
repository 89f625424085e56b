import type { ModelVersion } from "@tracklite/schemas";

/** A version's tags as the registry pages show them: MLflow's bookkeeping (`_mlflow…`, `mlflow.…`) is left out. */
export const userTags = (v: ModelVersion): { key: string; value: string }[] =>
  (v.tags ?? [])
    .filter((t) => !t.key.startsWith("_mlflow") && !t.key.startsWith("mlflow."))
    .map((t) => ({ key: t.key, value: t.value ?? "" }));
