import { redactUri, toLibsqlUrl, unservedStoreUri } from "./store-uri.js";

/** `tracklite db upgrade URL`: migrate a database to this version's schema, then exit (MLflow's `mlflow db upgrade`). */
export interface DbUpgradeCommand {
  kind: "db-upgrade";
  /** The libSQL URL (MLflow's `sqlite:///` spelling and plain paths made into `file:`). */
  url: string;
}

export const DB_HELP = `Usage: tracklite db upgrade URL

  Upgrade the schema of a tracklite database to the latest supported version, as \`mlflow db upgrade\` does: a file
  (file:PATH, sqlite:///PATH, a path) or a libSQL server (libsql://… for Turso, http(s)://… for sqld; the token from
  LIBSQL_AUTH_TOKEN or TURSO_AUTH_TOKEN). \`tracklite server\` migrates at start by itself; a Cloudflare Worker does not,
  and answers 503 until this has been run. Take a backup first.
`;

/**
 * Parses the words after `db` (MLflow's click group: `upgrade URL` is its one command tracklite has), with click's
 * messages for a missing or unknown one.
 */
export function parseDbCommand(
  rest: string[],
): DbUpgradeCommand | { kind: "db-help" } | { kind: "error"; message: string } {
  const [sub, ...args] = rest;
  if (sub === undefined) return { kind: "db-help" };
  if (sub !== "upgrade")
    return { kind: "error", message: `No such command '${sub}'. \`tracklite db --help\` lists the commands.` };
  if (args.length === 0) return { kind: "error", message: "Missing argument 'URL'." };
  if (args.length > 1)
    return {
      kind: "error",
      message: `Got unexpected extra argument${args.length > 2 ? "s" : ""} (${args.slice(1).join(" ")}).`,
    };
  const given = args[0] as string;
  const unserved = unservedStoreUri(given, "URL");
  if (unserved) return { kind: "error", message: unserved };
  const url = toLibsqlUrl(given);
  if (url === "file::memory:" || url === ":memory:")
    return {
      kind: "error",
      message: `Invalid value for 'URL': ${redactUri(given)}: an in-memory database has nothing to upgrade.`,
    };
  return { kind: "db-upgrade", url };
}
