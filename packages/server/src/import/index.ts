/** `@tracklite/server/import`: what `tracklite import` shares between its sources (in the CLI) and its sink (here). */

// Auth (artifacts-auth area): MLflow basic-auth users into tracklite's auth database.
export { openAuthDatabase } from "../auth/db.js";
// import-sql (traces, GenAI datasets, scorers): the wire forms of the reference's stored rows.
export { assessmentToWire } from "../traces/assessment-values.js";
export { pyJsonDumps, pyJsonLoads } from "../traces/otlp/any-value.js";
// import-file-store (issue 17): a FileStore's `traces.json` spans in the API's span form, as tracklite's own
// artifact-logged traces are converted.
export { apiSpanJsonFromDict, parseKeepingTimes } from "../traces/span-json.js";
export { type AuthGrant, type GrantMapping, grantsOf, type NamedRole } from "./auth-grants.js";
export { importAuthUser } from "./auth-sink.js";
export type * from "./model.js";
// import-sink (issue 17): tracklite's store as the import's target.
export { createImportSink, type ImportSinkOptions, sinkUnit, type UriOwner } from "./sink.js";
