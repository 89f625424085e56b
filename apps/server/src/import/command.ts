import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { givenBackendStoreUri, oneArgument } from "../one-argument.js";
import { redactUri, toLibsqlUrl, unservedStoreUri } from "../store-uri.js";
import { unknownOptionMessage } from "../unknown-option.js";

/**
 * The command line of `tracklite import SOURCE`: the target is tracklite's store named by the server's own flags,
 * defaults and MLflow variables (so that the environment that starts the server names where the import lands).
 */

export interface ImportOptions {
  /** SOURCE as given: a database URI, a FileStore folder or a server URL. */
  source: string;
  /** The target, as a libSQL URL (`file:…`, `libsql://…`). */
  backendStoreUri: string;
  /** A local folder or `s3://bucket/prefix`. */
  artifactsDestination: string;
  /** `--auth-db`: MLflow's basic_auth database URI; users and permissions come across only when it is given. */
  authDb?: string;
  /** `--experiments`: ids or names; undefined means all. */
  experiments?: string[];
  /** `--dry-run`: count what would come across, write nothing. */
  dryRun: boolean;
  /** Every flag as parsed, for the flags a source kind or the verifier adds. */
  flags: Record<string, string | boolean | undefined>;
}

export type ImportCommand =
  | { kind: "import"; options: ImportOptions }
  | { kind: "text"; text: string }
  | { kind: "error"; message: string };

/**
 * The flags of `tracklite import`. A source kind or the verifier adds its own by appending an entry (and a line to
 * the help below); its value reaches the source through `SourceOptions.flags`.
 */
export const IMPORT_FLAGS = {
  "backend-store-uri": { type: "string" },
  "artifacts-destination": { type: "string" },
  "auth-db": { type: "string" },
  "source-artifacts-destination": { type: "string" },
  experiments: { type: "string", multiple: true },
  "dry-run": { type: "boolean" },
  help: { type: "boolean", short: "h" },
  // verify (issue 17): compare SOURCE with tracklite instead of importing (verify/run-verify.ts)
  verify: { type: "boolean" },
  "target-url": { type: "string" },
} as const;

export const IMPORT_HELP = `Usage: tracklite import SOURCE [options]

  Copies a whole MLflow history into tracklite's store: experiments, runs with every metric point, datasets and
  inputs, logged models, the registry (models, versions, aliases, prompts), traces with spans and assessments, GenAI
  datasets, webhooks, and artifacts. Ids are kept. Safe to stop and run again: it resumes where it stopped, and
  what is already there is not written twice. Progress on stderr, a summary (with anything skipped, and why) on stdout.

  SOURCE is one of:
    sqlite:///path/to/mlflow.db, postgresql://user:pw@host/db, mysql://user:pw@host/db   an MLflow database
    ./mlruns (or file:///…/mlruns)                                                       a FileStore folder
    http(s)://host:port                                                                  a live MLflow server
      (credentials from MLFLOW_TRACKING_USERNAME/MLFLOW_TRACKING_PASSWORD or MLFLOW_TRACKING_TOKEN)

Options:
  --backend-store-uri URI          Where tracklite keeps its data, as for \`tracklite server\`.
                                     [MLFLOW_BACKEND_STORE_URI]  default file:./mlruns/tracklite.db
  --artifacts-destination DEST     Where artifacts are copied to, as for \`tracklite server\`.
                                     [MLFLOW_ARTIFACTS_DESTINATION]  default ./mlruns/artifacts
  --auth-db URI                    MLflow's basic-auth database (e.g. sqlite:///basic_auth.db): its users, password
                                     hashes and permissions come across. Default: none (no users are imported).
  --source-artifacts-destination DEST
                                   The source server's --artifacts-destination (a folder or s3://bucket/prefix), where
                                     a database or FileStore source's mlflow-artifacts:/ locations are read from.
                                     Without it such artifacts are reported as skipped (mlflow server's default is
                                     ./mlartifacts in the folder it ran from).
  --experiments IDS_OR_NAMES       Import only these experiments (comma-separated ids or names; may be repeated),
                                     with their runs, logged models, traces and scorers. The registry, webhooks and
                                     users are global and are left out then.
  --dry-run                        Count what would come across and what would be skipped; write nothing.
  --verify                         Import nothing: compare SOURCE with tracklite through the REST API (counts, every
                                     experiment, run, metric history, logged model, trace, dataset, registered model,
                                     version, alias and webhook) and print the differences. Exit 1 when any differ.
  --target-url URL                 With --verify: read tracklite from this running server instead of opening
                                     --backend-store-uri in this process.
  -h, --help                       Show this help.
`;

const localDestination = (destination: string) =>
  /^file:\/\//i.test(destination) ? fileURLToPath(destination) : destination;

/** Parses `tracklite import …` (`args` after the word `import`). */
export function parseImportCommand(args: string[], env: Record<string, string | undefined>): ImportCommand {
  let values: Record<string, string | boolean | string[] | undefined>;
  let positionals: string[];
  try {
    ({ values, positionals } = parseArgs({ args, allowPositionals: true, options: IMPORT_FLAGS }) as {
      values: Record<string, string | boolean | string[] | undefined>;
      positionals: string[];
    });
  } catch (e) {
    const message = unknownOptionMessage(e, Object.keys(IMPORT_FLAGS)).replace(
      "`tracklite --help` lists the options.",
      "`tracklite import --help` lists the options.",
    );
    return { kind: "error", message };
  }
  if (values.help) return { kind: "text", text: IMPORT_HELP };
  const argument = oneArgument(positionals, "SOURCE", "import");
  if ("error" in argument) return { kind: "error", message: argument.error };
  const source = argument.value;
  const flag = (name: string) => (typeof values[name] === "string" ? (values[name] as string) : undefined);
  const givenBackend = givenBackendStoreUri(flag("backend-store-uri"), env);
  const unserved = unservedStoreUri(givenBackend);
  if (unserved) return { kind: "error", message: unserved };
  const backendStoreUri = toLibsqlUrl(givenBackend);
  if (/^file::memory:?$/.test(backendStoreUri))
    return { kind: "error", message: "--backend-store-uri :memory: would lose the import when it ends." };
  if (sameDatabase(source, backendStoreUri))
    return {
      kind: "error",
      message: `SOURCE and --backend-store-uri name the same database (${redactUri(source)}): tracklite imports into a database of its own. Give a new file, e.g. --backend-store-uri sqlite:///tracklite.db.`,
    };
  const artifactsDestination = localDestination(
    flag("artifacts-destination") ?? env.MLFLOW_ARTIFACTS_DESTINATION ?? "./mlruns/artifacts",
  );
  const scheme = /^([a-z][a-z0-9+.-]*):\/\//i.exec(artifactsDestination)?.[1]?.toLowerCase();
  if (scheme !== undefined && scheme !== "s3")
    return {
      kind: "error",
      message: `Invalid value for '--artifacts-destination': ${redactUri(artifactsDestination)}: tracklite keeps artifacts in a local folder or on s3://.`,
    };
  const experiments = ((values.experiments as string[] | undefined) ?? [])
    .flatMap((v) => v.split(","))
    .map((v) => v.trim())
    .filter((v) => v !== "");
  if (values.experiments !== undefined && experiments.length === 0)
    return { kind: "error", message: "--experiments names no experiment: give ids or names, comma-separated." };
  const authDb = flag("auth-db");
  const flags: Record<string, string | boolean | undefined> = {};
  for (const [name, value] of Object.entries(values)) if (!Array.isArray(value)) flags[name] = value;
  return {
    kind: "import",
    options: {
      source,
      backendStoreUri,
      artifactsDestination,
      ...(authDb ? { authDb } : {}),
      ...(experiments.length > 0 ? { experiments } : {}),
      dryRun: values["dry-run"] === true,
      flags,
    },
  };
}

/** Whether SOURCE is the SQLite file the target names (importing a database into itself). */
function sameDatabase(source: string, target: string): boolean {
  if (!/^sqlite:\/\/\//i.test(source) || !target.startsWith("file:")) return false;
  const path = (url: string) => url.replace(/\?.*$/, "").replace(/^\.\//, "");
  return path(source.slice("sqlite:///".length)) === path(target.slice("file:".length));
}
