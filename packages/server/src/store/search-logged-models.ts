import type { InValue } from "@libsql/client";
import type { LoggedModel, SearchLoggedModelsOrderBy } from "@tracklite/schemas";
import { invalidParameter } from "../errors.js";
import {
  compileLoggedModelSearch,
  decodeModelPageToken,
  encodeModelPageToken,
  type ModelOrderBy,
  type ModelSearchIdentity,
} from "../search/index.js";
import type { DbHandle } from "./db.js";
import { loadModels, type ModelRow } from "./logged-model-loader.js";
import { experimentsInWorkspace } from "./workspace-scope.js";

export interface SearchLoggedModelsArgs {
  experimentIds: readonly string[];
  filter?: string | undefined;
  datasets?: readonly { dataset_name?: string | undefined; dataset_digest?: string | undefined }[] | undefined;
  orderBy?: readonly SearchLoggedModelsOrderBy[] | undefined;
  maxResults?: number | undefined;
  pageToken?: string | undefined;
}

/** The page size when the request has none: the proto's default. A 0 means the store's default, as in the reference. */
const PROTO_DEFAULT_MAX_RESULTS = 50;
const STORE_DEFAULT_MAX_RESULTS = 100;

/**
 * Logged-models search: checks in the reference's order (datasets, page token, filter, experiment ids, order_by), one
 * query for the page's models, then their tags, params and metrics.
 */
export async function searchLoggedModels(
  h: DbHandle,
  args: SearchLoggedModelsArgs,
): Promise<{ models: LoggedModel[]; nextPageToken?: string }> {
  const requested = args.maxResults ?? PROTO_DEFAULT_MAX_RESULTS;
  if (requested < 0) {
    throw invalidParameter(`Invalid value ${requested} for parameter 'max_results' supplied: it must not be negative.`);
  }
  const maxResults = requested || STORE_DEFAULT_MAX_RESULTS;
  const datasets = (args.datasets ?? []).map((d) => ({
    dataset_name: d.dataset_name ?? "",
    dataset_digest: d.dataset_digest || null,
  }));
  if (datasets.some((d) => !d.dataset_name)) {
    throw invalidParameter("`dataset_name` in the `datasets` clause must be specified.");
  }
  const orderBy: ModelOrderBy[] = (args.orderBy ?? []).map((o) => ({
    field_name: o.field_name ?? "",
    ascending: o.ascending ?? true,
    dataset_name: o.dataset_name || null,
    dataset_digest: o.dataset_digest || null,
  }));
  const identity: ModelSearchIdentity = {
    experimentIds: args.experimentIds,
    filter: args.filter || null,
    orderBy: orderBy.length > 0 ? orderBy : null,
  };
  const offset = args.pageToken ? decodeModelPageToken(args.pageToken, identity) : 0;
  const { sql, args: sqlArgs } = compileLoggedModelSearch({
    experimentIds: await experimentsInWorkspace(h, [...args.experimentIds]),
    filter: args.filter,
    datasets,
    orderBy,
    maxResults,
    offset,
  });
  const rs = await h.client.execute({ sql, args: sqlArgs as InValue[] });
  const rows = rs.rows as unknown as ModelRow[];
  const models = await loadModels(h, rows.slice(0, maxResults));
  return {
    models,
    ...(rows.length > maxResults ? { nextPageToken: encodeModelPageToken(identity, offset + maxResults) } : {}),
  };
}
