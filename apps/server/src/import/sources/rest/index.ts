/** The REST import source: a live MLflow or tracklite server read over MLflow's REST API. */
export { maskPassword, openRestSource, type RestSourceOptions } from "./rest-source.js";
