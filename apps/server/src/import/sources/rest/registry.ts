import type { MlflowClient } from "@tracklite/client";
import type { ModelVersion, RegisteredModel } from "@tracklite/schemas";
import type { ImportRegisteredModel } from "@tracklite/server/import";
import { itemsAhead, mapOrdered } from "./concurrency.js";

/** The tag that marks a registered model (and its versions) as a prompt. @see mlflow/entities/model_registry/prompt_version.py */
export const IS_PROMPT_TAG = "mlflow.prompt.is_prompt";

/**
 * The reference's searches leave prompts out unless the filter asks for them (an anti-join on the prompt tag), so
 * the registry is read twice: once as is (models), once with this filter (prompts).
 * @see mlflow/store/model_registry/sqlalchemy_store.py `_update_query_to_exclude_prompts`
 */
const PROMPT_FILTER = `tags.\`${IS_PROMPT_TAG}\` = 'true'`;

/** The reference's page caps. @see mlflow/store/model_registry/__init__.py */
const MODELS_PAGE = 1000;
const VERSIONS_PAGE = 10_000;

/** A string literal of the registry's filter grammar (single-quoted, or double-quoted when it holds a quote). */
function literal(value: string): string {
  return value.includes("'") ? `"${value.replace(/"/g, '\\"')}"` : `'${value}'`;
}

/** Registered models, then prompts, each with every version the API shows (deleted ones it never does). */
export async function* registeredModels(client: MlflowClient, window: number): AsyncGenerator<ImportRegisteredModel> {
  for (const prompts of [false, true]) {
    const models = itemsAhead<RegisteredModel>(async (token) => {
      const page = await client.searchRegisteredModels({
        filterString: prompts ? PROMPT_FILTER : undefined,
        maxResults: MODELS_PAGE,
        pageToken: token,
      });
      return { items: page.items, next: page.nextPageToken };
    });
    yield* mapOrdered(models, window, async (model) => withVersions(client, model, prompts));
  }
}

async function withVersions(client: MlflowClient, model: RegisteredModel, prompt: boolean) {
  const byName = `name = ${literal(model.name)}`;
  const filterString = prompt ? `${byName} AND ${PROMPT_FILTER}` : byName;
  const versions: ModelVersion[] = [];
  let token: string | undefined;
  do {
    const page = await client.searchModelVersions({ filterString, maxResults: VERSIONS_PAGE, pageToken: token });
    versions.push(...page.items);
    token = page.nextPageToken || undefined;
  } while (token);
  versions.sort((a, b) => Number(a.version) - Number(b.version));
  // search-model-versions leaves aliases out (get-model-version has them); the model's own list holds them all.
  for (const v of versions) {
    const aliases = (model.aliases ?? []).filter((a) => String(a.version) === v.version).map((a) => a.alias);
    if (aliases.length > 0) v.aliases = aliases;
  }
  const out: ImportRegisteredModel = { model, versions };
  // MLflow 3 answers a version's logged model as `model_id`, a field our ModelVersion type does not declare.
  const modelIds: Record<string, string> = {};
  for (const v of versions as (ModelVersion & { model_id?: string })[])
    if (v.model_id) modelIds[v.version] = v.model_id;
  if (Object.keys(modelIds).length > 0) out.version_model_ids = modelIds;
  return out;
}
