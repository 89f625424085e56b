/** The FileStore source of `tracklite import` (an `mlruns/` folder written by MLflow 2.x or 3.x). */
export { type FileStoreSourceOptions, openFileStoreSource } from "./file-store-source.js";
