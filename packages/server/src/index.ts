export { type AppConfig, type AppDeps, createApp } from "./app.js";
export type { ArtifactRoot, ArtifactRootOpener } from "./artifacts/roots.js";
// Import (artifacts-auth area): reading a source's artifact URIs the way the server reads its own.
export { isProxiedUri, proxiedRoot, uriScheme } from "./artifacts/roots.js";
export type { ArtifactEntry, ArtifactStore } from "./artifacts/store.js";
export {
  type AuthConfig,
  AuthConfigError,
  AuthService,
  type AuthServiceOptions,
  readAuthConfig,
} from "./auth/index.js";
export { MlflowError } from "./errors.js";
// GraphQL (graphql area).
export { type GraphqlOptions, GraphqlOptionsError, graphqlOptionsFromEnv } from "./graphql/options.js";
export { type SecurityOptions, securityOptionsFromEnv } from "./http/security.js";
// The observer hook a runtime binds to its metrics library (--expose-prometheus).
export type {
  IngestKind,
  MetricsExport,
  MetricsScrape,
  RequestObservation,
  ServerObserver,
} from "./observe/server-observer.js";
export { SYNCHRONOUS_LEVELS, type Synchronous } from "./store/connection-settings.js";
export { openDatabase } from "./store/db.js";
export { createStore, type Store, type StoreOptions } from "./store/index.js";
export { DEFAULT_SYNC_INTERVAL_SECONDS, type ReadReplicaOptions } from "./store/read-replica.js";
// Workers: the schema is checked, not migrated, at start (worker area).
export type { MigrationJournal } from "./store/schema-version.js";
export { parseTraceArchivalConfig, type TraceArchivalConfig } from "./traces/archival-config.js";
// The create-model-version source check from the environment.
export { modelVersionSourceRegexFromEnv } from "./validation/python-regex.js";
export { type WebhookOptions, webhookOptionsFromEnv } from "./webhooks/options.js";
