/**
 * The one place-or-source argument of `tracklite backup DEST`, `restore SRC` and `import SOURCE`, and the target
 * store they share with `tracklite server` (its flag, MLflow's variable, its default): one wording for all three.
 */

export type OneArgument = { value: string } | { error: string };

/** The command's single positional argument, or click's one-line error for a missing or extra one. */
export function oneArgument(positionals: string[], name: string, command: string): OneArgument {
  const [value, ...rest] = positionals;
  if (value === undefined || value === "")
    return { error: `Missing argument '${name}'. \`tracklite ${command} --help\` shows the usage.` };
  if (rest.length > 0)
    return { error: `Got unexpected extra argument${rest.length > 1 ? "s" : ""} (${rest.join(" ")}).` };
  return { value };
}

/** `--backend-store-uri` as the server takes it: the flag, else MLFLOW_BACKEND_STORE_URI, else the embedded default. */
export const givenBackendStoreUri = (flag: string | undefined, env: Record<string, string | undefined>) =>
  flag ?? env.MLFLOW_BACKEND_STORE_URI ?? "file:./mlruns/tracklite.db";
