import type { Context, Hono } from "hono";
import { type Checker, childOfExperiment, IS_PROMPT_TAG } from "./checker.js";
import { markInternal } from "./request-state.js";
import { canReadScorerRow } from "./scorer-rules.js";

type Row = Record<string, unknown>;

/** How one search's answer is filtered: the list field, who may see a row, the server's default page size. */
interface SearchFilter {
  field: string;
  keep: (check: Checker, row: Row, cache: Map<string, boolean>) => Promise<boolean> | boolean;
  defaultMax: number;
}

const isPromptRow = (row: Row) =>
  Array.isArray(row.tags) &&
  (row.tags as Row[]).some((t) => t.key === IS_PROMPT_TAG && String(t.value).toLowerCase() === "true");

/** A row is listed exactly when its point route would let the user read it (so listings and reads agree). */
export const SEARCH_FILTERS: Record<string, SearchFilter> = {
  searchExperiments: {
    field: "experiments",
    keep: (check, e) =>
      check.ok([{ type: "experiment", id: String(e.experiment_id), action: "read", fallback: [["workspace", "*"]] }]),
    defaultMax: 1000,
  },
  searchRegisteredModels: {
    field: "registered_models",
    keep: (check, m) =>
      check.ok([
        {
          type: isPromptRow(m) ? "prompt" : "registered_model",
          id: String(m.name),
          action: "read",
          fallback: [["workspace", "*"]],
        },
      ]),
    defaultMax: 100,
  },
  searchModelVersions: {
    field: "model_versions",
    keep: async (check, v, cache) => {
      const name = String(v.name);
      let ok = cache.get(name);
      if (ok === undefined) {
        const kind = (await check.registryKind(name)) ?? "registered_model";
        const versionType = kind === "prompt" ? "prompt_version" : "registered_model_version";
        ok = check.ok([
          { type: kind, id: name, action: "read", fallback: [["workspace", "*"]] },
          { type: versionType, id: "*", action: "not_denied" },
        ]);
        cache.set(name, ok);
      }
      return ok;
    },
    defaultMax: 10_000,
  },
  searchLoggedModels: {
    field: "models",
    keep: (check, m) => {
      const info = (m.info ?? {}) as Row;
      return check.ok(childOfExperiment(String(info.experiment_id), "logged_model", "read"));
    },
    defaultMax: 100,
  },
  // a cross-experiment listing keeps the scorers the user may read. @see filter_list_scorers
  listScorers: { field: "scorers", keep: (check, row) => canReadScorerRow(check, row), defaultMax: 1_000_000 },
};

/**
 * Leaves out of a search answer the rows the user may not read, then fetches further pages until the page is full
 * again or the results run out, so that paging still works. Each further fetch asks for just the rows still missing,
 * which keeps the page token exact whatever its form (the reference recomputes offset tokens instead).
 * @see mlflow/server/auth/__init__.py filter_search_experiments
 */
export async function filterSearch(
  app: Hono,
  c: Context,
  filter: SearchFilter,
  check: Checker,
  request: Record<string, unknown>,
): Promise<void> {
  const body = (await c.res.clone().json()) as Row;
  const cache = new Map<string, boolean>();
  const keepAll = async (rows: unknown) => {
    const out: Row[] = [];
    for (const row of Array.isArray(rows) ? (rows as Row[]) : [])
      if (await filter.keep(check, row, cache)) out.push(row);
    return out;
  };
  const rows = await keepAll(body[filter.field]);
  const want = Number(request.max_results ?? filter.defaultMax) || filter.defaultMax;
  let token = typeof body.next_page_token === "string" ? body.next_page_token : "";
  while (rows.length < want && token) {
    const res = await app.fetch(refetch(c, request, token, want - rows.length));
    if (!res.ok) break;
    const page = (await res.json()) as Row;
    const fetched = Array.isArray(page[filter.field]) ? (page[filter.field] as Row[]) : [];
    rows.push(...(await keepAll(fetched)));
    token = typeof page.next_page_token === "string" ? page.next_page_token : "";
    if (fetched.length === 0) token = "";
  }
  const { [filter.field]: _, next_page_token: __, ...rest } = body;
  const out = {
    ...rest,
    ...(rows.length > 0 ? { [filter.field]: rows } : {}),
    ...(token ? { next_page_token: token } : {}),
  };
  const headers = new Headers(c.res.headers);
  headers.delete("content-length");
  c.res = new Response(JSON.stringify(out), { status: c.res.status, headers });
}

/** The same search for the next page, as a request of the middleware's own (already authorized). */
function refetch(c: Context, request: Record<string, unknown>, pageToken: string, maxResults: number): Request {
  const url = new URL(c.req.url);
  const next = { ...request, page_token: pageToken, max_results: maxResults };
  if (c.req.method === "GET") {
    url.search = "";
    for (const [k, v] of Object.entries(next)) {
      for (const item of Array.isArray(v) ? v : [v])
        if (item !== undefined && item !== null) url.searchParams.append(k, String(item));
    }
    return markInternal(new Request(url, { method: "GET" }));
  }
  return markInternal(
    new Request(url, {
      method: c.req.method,
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify(next),
    }),
  );
}

/**
 * `runs/search` keeps only the experiments the user may read (and none when the run tier is denied), before the
 * search runs. @see mlflow/server/auth/__init__.py filter_experiment_ids
 */
export function readableExperimentIds(check: Checker, ids: readonly string[]): string[] {
  if (!check.ok([{ type: "run", id: "*", action: "not_denied" }])) return [];
  return ids.filter((id) => check.ok([{ type: "experiment", id, action: "read", fallback: [["workspace", "*"]] }]));
}

export function researchRuns(c: Context, request: Record<string, unknown>, experimentIds: string[]): Request {
  return markInternal(
    new Request(c.req.url, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ ...request, experiment_ids: experimentIds }),
    }),
  );
}
