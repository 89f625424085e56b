import { readFileSync } from "node:fs";
import { bundleDir } from "./bundle-dir.js";

/**
 * `tracklite --version`: the package's version (package.json is one folder up from both src/ and the built dist/)
 * and the MLflow REST API it serves, in click's form (`mlflow, version 3.17.2`).
 */
export function versionLine(mlflowApiVersion: string): string {
  const { version } = JSON.parse(readFileSync(new URL("../package.json", bundleDir(import.meta.url)), "utf8")) as {
    version: string;
  };
  return `tracklite, version ${version} (serves the MLflow ${mlflowApiVersion} REST API)`;
}
