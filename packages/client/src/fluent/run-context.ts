import { readEnv } from "../env.js";

/** The tags MLflow's Python client puts on every new run. @see mlflow/utils/mlflow_tags.py */
export const RUN_TAGS = {
  user: "mlflow.user",
  sourceName: "mlflow.source.name",
  sourceType: "mlflow.source.type",
  parentRunId: "mlflow.parentRunId",
  note: "mlflow.note.content",
} as const;

/**
 * What started this program: the script path on Node and Bun (`process.argv[1]`), the main module on Deno, the page
 * in a browser; undefined in a REPL or where the runtime does not say.
 */
export function sourceName(): string | undefined {
  const g = globalThis as {
    Deno?: { mainModule?: string };
    process?: { argv?: string[] };
    location?: { href?: string };
  };
  try {
    if (g.Deno) return g.Deno.mainModule ? fileUrlToPath(g.Deno.mainModule) : undefined;
    if (g.process?.argv) return g.process.argv[1];
    return g.location?.href;
  } catch {
    // a runtime that guards these behind a permission
    return undefined;
  }
}

/** The user name, read from the variables Python's `getpass.getuser()` reads, in its order. */
export function userName(): string | undefined {
  for (const name of ["LOGNAME", "USER", "LNAME", "USERNAME"]) {
    const value = readEnv(name);
    if (value) return value;
  }
  return undefined;
}

/** The context tags of a new run, as Python's default run context sets them (source type is always LOCAL). */
export function contextTags(): Record<string, string> {
  const tags: Record<string, string> = { [RUN_TAGS.sourceType]: "LOCAL" };
  const user = userName();
  const source = sourceName();
  if (user) tags[RUN_TAGS.user] = user;
  if (source) tags[RUN_TAGS.sourceName] = source;
  return tags;
}

/** Deno names its main module by URL; a local one reads better as the path Python and Node would show. */
function fileUrlToPath(url: string): string {
  return url.startsWith("file:") ? decodeURIComponent(new URL(url).pathname) : url;
}
