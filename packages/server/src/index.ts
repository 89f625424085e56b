export { type AppConfig, type AppDeps, createApp } from "./app.js";
export { MlflowError } from "./errors.js";
export { createStore, type Store, type StoreOptions } from "./store/index.js";
