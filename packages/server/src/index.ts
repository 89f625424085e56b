export { type AppConfig, type AppDeps, createApp } from "./app.js";
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
export { createStore, type Store, type StoreOptions } from "./store/index.js";
export { parseTraceArchivalConfig, type TraceArchivalConfig } from "./traces/archival-config.js";
export { type WebhookOptions, webhookOptionsFromEnv } from "./webhooks/options.js";
