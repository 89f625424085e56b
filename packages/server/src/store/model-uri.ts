import { MlflowError } from "../errors.js";
import { urlparse } from "./model-version-sources.js";

/**
 * `models:/` URIs as MLflow reads them: `models:/<model_id>` (a logged model), `models:/<name>/<version>`,
 * `models:/<name>/<stage>`, `models:/<name>/latest` and `models:/<name>@<alias>`.
 * @see mlflow/store/artifact/utils/models.py _parse_model_uri
 */

export interface ParsedModelUri {
  modelId?: string;
  name?: string;
  version?: string;
  stage?: string;
  alias?: string;
}

/** The reference's "Not a proper models:/ URI" (a plain MlflowException: INTERNAL_ERROR, answered with 400). */
export function improperModelUri(uri: string): MlflowError {
  return new MlflowError(
    `Not a proper models:/ URI: ${uri}. Models URIs must be of the form 'models:/name/suffix' or 'models:/name@alias' where suffix is a version, stage, or the string 'latest' and where alias is a registered model alias. Only one of suffix or alias can be defined at a time.`,
    "INTERNAL_ERROR",
    400,
  );
}

export function parseModelUri(uri: string): ParsedModelUri {
  const { scheme, path } = urlparse(uri, false);
  if (scheme !== "models" || !path.startsWith("/") || path.length <= 1) throw improperModelUri(uri);
  const parts = path.replace(/^\/+/, "").split("/");
  const [first = "", suffix] = parts;
  if (parts.length > 2 || first.trim() === "") throw improperModelUri(uri);
  if (suffix !== undefined) {
    if (suffix.trim() === "") throw improperModelUri(uri);
    if (/^\d+$/.test(suffix)) return { name: first, version: suffix };
    if (suffix.toLowerCase() === "latest") return { name: first };
    return { name: first, stage: suffix };
  }
  if (path.includes("@")) {
    const at = first.lastIndexOf("@");
    const alias = at < 0 ? "" : first.slice(at + 1);
    if (alias.trim() === "") throw improperModelUri(uri);
    return { name: first.slice(0, at), alias };
  }
  return { modelId: first };
}
