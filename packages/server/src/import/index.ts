/** `@tracklite/server/import`: what `tracklite import` shares between its sources (in the CLI) and its sink (here). */
export type * from "./model.js";
