import type { SqlConnection } from "./connection.js";
import { isKnownRevision, MLFLOW_HEAD_REVISION } from "./revisions.js";

/** What exists in this database: its alembic revision and its tables' columns (they grew from MLflow 2.0 to 3.17). */
export interface SchemaInfo {
  revision: string;
  has(table: string, column?: string): boolean;
}

/**
 * Read `alembic_version` and the columns. Refuses, in one line, a database that is not MLflow's or was written by an
 * MLflow newer than 3.17.2 (a revision we do not know: its tables may mean something else).
 */
export async function readSchemaInfo(db: SqlConnection, label: string): Promise<SchemaInfo> {
  const columns = await db.columns();
  if (!columns.has("alembic_version") || !columns.has("experiments") || !columns.has("runs")) {
    throw new Error(`${label}: not an MLflow tracking database (no alembic_version, experiments and runs tables)`);
  }
  const rows = await db.all("SELECT version_num FROM alembic_version", []);
  const revision = String(rows[0]?.version_num ?? "");
  if (!isKnownRevision(revision)) {
    throw new Error(
      `${label}: schema revision ${revision || "(none)"} is not one of MLflow 2.0–3.17.2's (head ${MLFLOW_HEAD_REVISION}); ` +
        "it was written by a newer MLflow: export it with that MLflow's server (tracklite import http://…)",
    );
  }
  return {
    revision,
    has(table, column) {
      const set = columns.get(table);
      return set !== undefined && (column === undefined || set.has(column));
    },
  };
}
