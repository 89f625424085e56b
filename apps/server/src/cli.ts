#!/usr/bin/env node
import { mkdirSync } from "node:fs";
import { dirname } from "node:path";
import { serve } from "@hono/node-server";
import { createApp, createStore } from "@tracklite/server";
import { createLocalArtifactStore } from "@tracklite/server/local-artifacts";
import { HELP, parseCommand, type ServerOptions } from "./options.js";

/** The MLflow version whose REST API tracklite serves, reported by /version. */
const MLFLOW_API_VERSION = "3.17.2";

async function runServer(options: ServerOptions): Promise<void> {
  if (options.backendStoreUri.startsWith("file:")) {
    mkdirSync(dirname(options.backendStoreUri.slice("file:".length)), { recursive: true });
  }
  mkdirSync(options.artifactsDestination, { recursive: true });
  const authToken = process.env.LIBSQL_AUTH_TOKEN ?? process.env.TURSO_AUTH_TOKEN;
  const store = await createStore({
    url: options.backendStoreUri,
    defaultArtifactRoot: options.defaultArtifactRoot,
    ...(authToken ? { authToken } : {}),
  });
  const app = createApp({
    store,
    artifacts: createLocalArtifactStore(options.artifactsDestination),
    config: { mlflowVersion: MLFLOW_API_VERSION },
  });
  const server = serve({ fetch: app.fetch, hostname: options.host, port: options.port }, (info) => {
    console.log(`tracklite listening on http://${options.host}:${info.port} (store ${options.backendStoreUri})`);
  });
  const stop = () => {
    server.close(() => {
      store.close();
      process.exit(0);
    });
    setTimeout(() => process.exit(0), 3000).unref();
  };
  process.on("SIGTERM", stop);
  process.on("SIGINT", stop);
}

const command = parseCommand(process.argv.slice(2), process.env);
if (command.kind === "help") {
  process.stdout.write(HELP);
} else if (command.kind === "error") {
  process.stderr.write(`${command.message}\n\n${HELP}`);
  process.exit(2);
} else {
  runServer(command.options).catch((err: unknown) => {
    console.error(err);
    process.exit(1);
  });
}
