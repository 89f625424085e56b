/** The MLflow-database import source (`tracklite import sqlite:///… | postgresql://… | mysql://…`). */

export { openSqlSourceFor } from "./registry-entry.js";
export { openSqlSource, type SqlSourceOptions } from "./sql-source.js";
export { isSqlUri, parseSqlUri } from "./uri.js";
