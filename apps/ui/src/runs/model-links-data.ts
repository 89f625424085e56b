/**
 * The data behind the runs table's Models cells, fetched for the rows on screen: registered versions by run
 * (`run_id IN (…)`, 50 runs a request) and the runs' logged models (`model_id IN (…)`), each fetched once per run.
 */
import type { LoggedModel, ModelVersion } from "@tracklite/schemas";
import { client } from "../api.js";
import { type ModelLink, modelLinksOf } from "./model-links.js";
import type { RunRow } from "./run-fields.js";

const CHUNK = 50;
/** A `done` entry that no model list equals: read again, but show meanwhile. */
const STALE = "\u0000stale";
const quoted = (ids: readonly string[]) => ids.map((id) => `'${id.replace(/'/g, "\\'")}'`).join(", ");

export type ModelLinkLookup = (row: RunRow) => ModelLink[] | undefined;

/**
 * The Models cells' data of one experiment's runs table. `request` the rows on screen; `lookup` gives a row's links
 * once known (undefined before: the cell shows the model ids meanwhile).
 */
export class RunModelLinks {
  private experimentId = "";
  /** Versions by run id; present once fetched (empty when none). */
  private versions = new Map<string, ModelVersion[]>();
  private models = new Map<string, LoggedModel>();
  /** Model ids asked for (found or not). */
  private asked = new Set<string>();
  private pending = new Set<string>();
  /** Rows whose versions are known, by the row's model list (a live run may log a model later). */
  private done = new Map<string, string>();
  /** A new function whenever the data changed, so the table (which compares properties) redraws. */
  lookup: ModelLinkLookup = () => undefined;

  constructor(private readonly onChange: () => void) {}

  private changed() {
    const cache = new Map<RunRow, ModelLink[]>();
    this.lookup = (row) => {
      if (!this.done.has(row.id)) return undefined;
      let links = cache.get(row);
      if (!links) {
        links = modelLinksOf(row, this.experimentId, this.versions.get(row.id) ?? [], this.models);
        cache.set(row, links);
      }
      return links;
    };
    this.onChange();
  }

  /** Marks what was read as stale: the next `request` reads it again; the cells keep their links until then. */
  forget() {
    for (const id of this.done.keys()) this.done.set(id, STALE);
    this.asked.clear();
  }

  /** Fetches what the Models cells of these rows need and is not known yet. Failures leave the ids as they were. */
  async request(rows: readonly RunRow[], experimentId: string): Promise<void> {
    if (experimentId !== this.experimentId) {
      this.experimentId = experimentId;
      this.versions.clear();
      this.models.clear();
      this.asked.clear();
      this.done.clear();
    }
    const need = rows.filter((r) => this.done.get(r.id) !== r.models.join() && !this.pending.has(r.id));
    if (need.length === 0) return;
    for (const r of need) this.pending.add(r.id);
    const modelIds = [...new Set(need.flatMap((r) => r.models))].filter(
      (id) => /^m-[0-9a-f]+$/.test(id) && !this.asked.has(id),
    );
    try {
      const jobs: Promise<void>[] = [];
      for (let i = 0; i < need.length; i += CHUNK) {
        const ids = need.slice(i, i + CHUNK).map((r) => r.id);
        jobs.push(this.loadVersions(ids));
      }
      for (let i = 0; i < modelIds.length; i += CHUNK) jobs.push(this.loadModels(modelIds.slice(i, i + CHUNK)));
      await Promise.all(jobs);
      if (experimentId !== this.experimentId) return;
      for (const r of need) this.done.set(r.id, r.models.join());
      this.changed();
    } finally {
      for (const r of need) this.pending.delete(r.id);
    }
  }

  private async loadVersions(runIds: string[]) {
    const found = new Map<string, ModelVersion[]>(runIds.map((id) => [id, []]));
    for await (const v of client.iterateModelVersions({ filterString: `run_id IN (${quoted(runIds)})` })) {
      if (v.run_id) found.get(v.run_id)?.push(v);
    }
    for (const [id, list] of found) this.versions.set(id, list);
  }

  private async loadModels(ids: string[]) {
    for (const id of ids) this.asked.add(id);
    try {
      const page = await client.searchLoggedModels({
        experimentIds: [this.experimentId],
        filterString: `model_id IN (${quoted(ids)})`,
        maxResults: ids.length,
      });
      for (const m of page.items) this.models.set(m.info.model_id, m);
    } catch (e) {
      for (const id of ids) this.asked.delete(id);
      throw e;
    }
  }
}
