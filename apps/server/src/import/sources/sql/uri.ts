import type { SqlDialect } from "./connection.js";

/** Where an MLflow database URI points, in the form our drivers take. */
export interface SqlTarget {
  dialect: SqlDialect;
  /** SQLite: the file path; PostgreSQL/MySQL: the URI without SQLAlchemy's `+driver` suffix. */
  location: string;
  /** The URI with any password masked, for messages. */
  label: string;
}

/** Does `uri` name a database this source reads (`sqlite:`, `postgresql:`/`postgres:`, `mysql:`, with `+driver`)? */
export function isSqlUri(uri: string): boolean {
  return /^(sqlite|postgres|postgresql|mysql|mariadb)(\+[a-z0-9_]+)?:/i.test(uri);
}

/**
 * Parse a SQLAlchemy database URI the way MLflow's `--backend-store-uri` takes it: `sqlite:///relative.db`,
 * `sqlite:////absolute.db`, `postgresql+psycopg2://user:pw@host:5432/db`, `mysql+pymysql://…`.
 * @throws Error with a one-line message for a URI we cannot read.
 */
export function parseSqlUri(uri: string): SqlTarget {
  const match = /^([a-z]+)(\+[a-z0-9_]+)?:(.*)$/is.exec(uri);
  const scheme = match?.[1]?.toLowerCase();
  const rest = match?.[3] ?? "";
  if (scheme === "sqlite") {
    if (!rest.startsWith("///") || rest.length <= 3) {
      throw new Error(`${uri}: a SQLite source must be a file, e.g. sqlite:///mlflow.db or sqlite:////abs/mlflow.db`);
    }
    const path = decodeURIComponent(rest.slice(3).split("?")[0] ?? "");
    return { dialect: "sqlite", location: path, label: uri };
  }
  if (scheme === "postgresql" || scheme === "postgres") {
    const location = `postgresql:${rest}`;
    return { dialect: "postgresql", location, label: maskPassword(location) };
  }
  if (scheme === "mysql" || scheme === "mariadb") {
    const location = `mysql:${rest}`;
    return { dialect: "mysql", location, label: maskPassword(location) };
  }
  throw new Error(`${uri}: not a database URI (sqlite:///…, postgresql://…, mysql://…)`);
}

/** `scheme://user:secret@host` → `scheme://user:***@host`. */
export function maskPassword(uri: string): string {
  return uri.replace(/^([a-z+]+:\/\/[^:/@]*):[^@]*@/i, "$1:***@");
}
