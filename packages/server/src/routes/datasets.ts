import type { Hono } from "hono";
import { isPyObject, readRecordList } from "../datasets/record-values.js";
import { clientCrash, invalidParameter } from "../errors.js";
import { mount } from "../http/mount.js";
import { parseDatasetFilter, parseDatasetOrderBy } from "../search/dataset-grammar.js";
import { DEFAULT_RECORDS_PAGE } from "../store/dataset-records.js";
import type { Store } from "../store/index.js";
import { type PyJson, pyJsonLoads, pyTypeOf } from "../traces/py-json.js";
import { storeIn } from "../workspaces/middleware.js";

/**
 * GenAI evaluation datasets (`/mlflow/datasets/...`, 3.0 prefixes only), and the UI's older run-dataset search
 * (`/ajax-api/2.0/mlflow/experiments/search-datasets`).
 * @see mlflow/server/handlers.py _create_dataset_handler … _delete_dataset_records_handler, _search_datasets_handler
 */

/** The reference's default page of datasets (the proto's `max_results` default). */
const DEFAULT_DATASETS_PAGE = 1000;
/** The most a search may ask for. @see mlflow/store/tracking/__init__.py SEARCH_MAX_RESULTS_THRESHOLD */
const SEARCH_MAX_RESULTS = 50000;
/** At most this many experiments per run-dataset search. */
const MAX_EXPERIMENT_IDS_PER_REQUEST = 20;

/** A JSON object sent as text (`tags`); the reference crashes on other JSON, and answers bad JSON with a 500. */
function jsonObjectField(text: string, field: string): Record<string, PyJson> {
  let parsed: PyJson;
  try {
    parsed = pyJsonLoads(text);
  } catch {
    throw invalidParameter(`Invalid value for parameter '${field}': it must be a JSON object, got ${text}`);
  }
  if (!isPyObject(parsed)) throw clientCrash(`'${pyTypeOf(parsed)}' object has no attribute 'items'`);
  return parsed;
}

/** `_validate_max_results_param`, applied to the handler's `max_results or None`. */
function datasetsPageSize(value: number | undefined): number {
  if (value === undefined) return DEFAULT_DATASETS_PAGE;
  if (value < 1) {
    throw invalidParameter(
      `Invalid value ${value === 0 ? "None" : value} for parameter 'max_results' supplied. It must be a positive integer`,
    );
  }
  if (value > SEARCH_MAX_RESULTS) {
    throw invalidParameter(
      `Invalid value ${value} for parameter 'max_results' supplied. It must be at most ${SEARCH_MAX_RESULTS}`,
    );
  }
  return value;
}

export function datasetRoutes(v3: Hono, ajaxOnly: Hono, store: Store): void {
  const at = storeIn(store);

  mount(v3, "searchEvaluationDatasets", async (req, c) => {
    const filter = parseDatasetFilter(req.filter_string || undefined);
    const orderBy = parseDatasetOrderBy(req.order_by);
    const maxResults = datasetsPageSize(req.max_results);
    const page = await at(c).datasets.search({
      ...(req.experiment_ids ? { experimentIds: req.experiment_ids } : {}),
      filter,
      orderBy,
      maxResults,
      ...(req.page_token ? { pageToken: req.page_token } : {}),
    });
    return {
      ...(page.datasets.length > 0 ? { datasets: page.datasets } : {}),
      ...(page.nextPageToken ? { next_page_token: page.nextPageToken } : {}),
    };
  });

  mount(v3, "createDataset", async (req, c) => {
    const tags = req.tags ? jsonObjectField(req.tags, "tags") : {};
    const dataset = await at(c).datasets.create(req.name ?? "", req.experiment_ids ?? [], tags);
    return { dataset };
  });

  mount(v3, "getDataset", async (_req, c, { dataset_id }) => ({ dataset: await at(c).datasets.get(dataset_id) }));

  mount(v3, "deleteDataset", async (_req, c, { dataset_id }) => {
    await at(c).datasets.delete(dataset_id);
    return {};
  });

  mount(v3, "upsertDatasetRecords", async (req, c, { dataset_id }) => {
    const records = readRecordList(req.records ?? "", pyJsonLoads);
    const result = await at(c).datasetRecords.upsert(dataset_id, records);
    return { inserted_count: result.inserted, updated_count: result.updated };
  });

  mount(v3, "getDatasetRecords", async (req, c, { dataset_id }) => {
    const max = req.max_results || DEFAULT_RECORDS_PAGE;
    // The reference's SQL breaks on a negative page size (a 500); tracklite refuses it.
    if (max < 0) {
      throw invalidParameter(
        `Invalid value ${max} for parameter 'max_results' supplied. It must be a positive integer`,
      );
    }
    const page = await at(c).datasetRecords.page(dataset_id, max, req.page_token || undefined);
    return { records: page.records, ...(page.nextPageToken ? { next_page_token: page.nextPageToken } : {}) };
  });

  mount(v3, "deleteDatasetRecords", async (req, c, { dataset_id }) => {
    const deleted = await at(c).datasetRecords.delete(dataset_id, req.dataset_record_ids ?? []);
    return { deleted_count: deleted };
  });

  mount(v3, "setDatasetTags", async (req, c, { dataset_id }) => {
    await at(c).datasets.setTags(dataset_id, jsonObjectField(req.tags ?? "", "tags"));
    return {};
  });

  mount(v3, "deleteDatasetTag", async (_req, c, { dataset_id, key }) => {
    await at(c).datasets.deleteTag(dataset_id, key);
    return {};
  });

  mount(v3, "getDatasetExperimentIds", async (_req, c, { dataset_id }) => {
    const ids = await at(c).datasets.experimentIds(dataset_id);
    return ids.length > 0 ? { experiment_ids: ids } : {};
  });

  mount(v3, "addDatasetToExperiments", async (req, c, { dataset_id }) => ({
    dataset: await at(c).datasets.addExperiments(dataset_id, req.experiment_ids ?? []),
  }));

  mount(v3, "removeDatasetFromExperiments", async (req, c, { dataset_id }) => ({
    dataset: await at(c).datasets.removeExperiments(dataset_id, req.experiment_ids ?? []),
  }));

  mount(ajaxOnly, "searchDatasets", async (req, c) => {
    const ids = req.experiment_ids;
    if (ids.length === 0) throw invalidParameter("SearchDatasets request must specify at least one experiment_id.");
    if (ids.length > MAX_EXPERIMENT_IDS_PER_REQUEST) {
      throw invalidParameter(
        `SearchDatasets request cannot specify more than ${MAX_EXPERIMENT_IDS_PER_REQUEST} experiment_ids. Received ${ids.length} experiment_ids.`,
      );
    }
    const summaries = await at(c).datasets.runSummaries(ids);
    return summaries.length > 0 ? { dataset_summaries: summaries } : {};
  });
}
