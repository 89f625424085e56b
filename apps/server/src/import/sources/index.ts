import { existsSync, statSync } from "node:fs";
import { fileURLToPath } from "node:url";
import type { ImportSource } from "@tracklite/server/import";
import { redactUri } from "../../store-uri.js";
import { UsageError } from "../../usage-error.js";

/**
 * Which source reads SOURCE, chosen by its form: a database URI, a live server's URL, or a FileStore folder. Each
 * source kind is one entry below, filled in by its owner; an entry loads its code only when it is picked, so that
 * `tracklite server` never loads database drivers.
 */

/** What every source may need besides SOURCE itself. */
export interface SourceOptions {
  /** The environment (credentials: MLFLOW_TRACKING_USERNAME…, encryption keys, S3 settings). */
  env: Record<string, string | undefined>;
  /** `--auth-db`: MLflow's basic-auth database URI, read for users and permissions. */
  authDb?: string;
  /** Flags a source kind adds to `tracklite import` (see command.ts), by their long name. */
  flags: Record<string, string | boolean | undefined>;
}

export interface SourceKind {
  /** For messages: "sql", "rest", "file-store". */
  kind: string;
  /** Whether SOURCE, as given on the command line, is this kind's. */
  matches(location: string): boolean;
  open(location: string, options: SourceOptions): Promise<ImportSource>;
}

/** MLflow's SQLAlchemy URIs, with or without a driver (`postgresql+psycopg2://`, `mysql+pymysql://`). */
export const isDatabaseUri = (location: string) => /^(sqlite|postgres(ql)?|mysql|mariadb)(\+[\w-]+)?:/i.test(location);
export const isServerUrl = (location: string) => /^https?:\/\//i.test(location);
/** A folder as a path or a `file:` URI (MLflow's FileStore is named either way). */
export const folderPath = (location: string) => (/^file:/i.test(location) ? fileURLToPath(location) : location);
export const isFolder = (location: string) => {
  const path = folderPath(location);
  return existsSync(path) && statSync(path).isDirectory();
};

// One entry per source kind, in the order they are tried; each reader is loaded only when its kind is picked.
export const SOURCE_KINDS: readonly SourceKind[] = [
  // sql-source: sqlite:///…, postgresql://…, mysql://…
  {
    kind: "sql",
    matches: isDatabaseUri,
    open: async (l, o) => (await import("./sql/index.js")).openSqlSourceFor(l, o),
  },

  // rest-source: http(s)://… (a live MLflow server)
  {
    kind: "rest",
    matches: isServerUrl,
    open: async (l, o) => (await import("./rest/index.js")).openRestSource(l, { env: o.env }),
  },

  // file-store-source: a FileStore folder (./mlruns, file:///…/mlruns)
  {
    kind: "file-store",
    matches: isFolder,
    open: async (l, o) => (await import("./file-store/index.js")).openFileStoreKind(l, o),
  },
];

/** The kind that reads `location`, or a one-line usage error saying what SOURCE may be. */
export function pickSourceKind(location: string, kinds: readonly SourceKind[] = SOURCE_KINDS): SourceKind {
  const kind = kinds.find((k) => k.matches(location));
  if (kind) return kind;
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(location) && !/^file:/i.test(location))
    throw new UsageError(
      `SOURCE ${redactUri(location)}: tracklite imports from sqlite:, postgresql:, mysql: databases, http(s): servers and FileStore folders, not ${location.split(":")[0]}:.`,
    );
  const path = folderPath(location);
  if (!existsSync(path))
    throw new UsageError(
      `SOURCE ${location}: no such folder. SOURCE is an MLflow database URI (sqlite:///path/mlflow.db, postgresql://…, mysql://…), a FileStore folder (./mlruns) or a server URL (http(s)://…).`,
    );
  throw new UsageError(
    `SOURCE ${location} is a file, not a folder. An MLflow SQLite database is named sqlite:///${location}.`,
  );
}
