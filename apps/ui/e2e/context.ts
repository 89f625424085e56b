/** What the global setup hands to the test files (through vitest's provide/inject), and shared constants. */

/** The repository root. */
export const REPO = new URL("../../..", import.meta.url).pathname;

export { CHROMIUM_FLAGS, CHROMIUM_PATH } from "../scripts/chromium.mjs";

/** The ids seed.py printed. */
export interface Seed {
  git_commit: string;
  experiments: Record<string, string>;
  runs: Record<string, string>;
  models: Record<string, { versions: string[]; alias?: string; production?: string }>;
  logged_models: Record<string, string>;
  prompt: { name: string; version: number };
}

export interface E2eContext {
  /** Set when the suite cannot run here (the reason). */
  skip?: string;
  /** The server: the UI at `/`, the REST API, and the MLFLOW_TRACKING_URI of the Python client. */
  baseUrl: string;
  wsEndpoint: string;
  seed: Seed;
  /** The MLflow 3 venv's python (for the live test's logging process). */
  python: string;
  /** The server's temp folder. */
  dir: string;
}

declare module "vitest" {
  export interface ProvidedContext {
    e2e: E2eContext;
  }
}
