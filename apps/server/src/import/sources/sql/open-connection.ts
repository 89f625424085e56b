import type { SqlConnection } from "./connection.js";
import type { SqlTarget } from "./uri.js";

/** A connection for the target's dialect; each driver is loaded only when its dialect is used. */
export async function openConnection(target: SqlTarget): Promise<SqlConnection> {
  switch (target.dialect) {
    case "sqlite": {
      const { openSqliteConnection } = await import("./sqlite-connection.js");
      return openSqliteConnection(target.location);
    }
    case "postgresql": {
      const { openPostgresConnection } = await import("./postgres-connection.js");
      return openPostgresConnection(target.location);
    }
    case "mysql": {
      const { openMysqlConnection } = await import("./mysql-connection.js");
      return openMysqlConnection(target.location);
    }
  }
}
