/** `@tracklite/server/import`: what `tracklite import` shares between its sources (in the CLI) and its sink (here). */
export type * from "./model.js";
// import-sink (issue 17): tracklite's store as the import's target.
export { createImportSink, type ImportSinkOptions, sinkUnit, type UriOwner } from "./sink.js";
