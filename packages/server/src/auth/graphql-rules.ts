import type { Checker } from "./checker.js";
import { deniedTiers, REDACTIONS } from "./redaction.js";
import type { RouteRule } from "./route-table.js";
import { readableExperimentIds, SEARCH_FILTERS } from "./search-filters.js";

type Row = Record<string, unknown>;

/**
 * `/graphql` (and tracklite's `/ajax-api/graphql`) needs sign-in only: the reference lets every signed-in user reach
 * it and checks each call inside the query instead (below). @see _HANDLER_INTERNAL_AUTHZ_SUFFIXES
 */
export const GRAPHQL_ROUTES: readonly RouteRule[] = [
  { name: "graphql", methods: ["GET", "POST"], pattern: /^\/(?:ajax-api\/)?graphql$/, rule: "authenticated" },
];

/** The GraphQL input of a call, as the client sent it (camelCase). */
export interface GraphqlInput {
  experimentId?: string | null;
  experimentIds?: (string | null)[] | null;
  runId?: string | null;
  runUuid?: string | null;
  runIds?: (string | null)[] | null;
  filter?: string | null;
}

const strings = (list: readonly (string | null)[] | null | undefined): string[] =>
  (list ?? []).filter((s): s is string => typeof s === "string");

/**
 * Whether a search filter compares `attribute` (`run_id = …`, `attributes.run_id IN …`): such a filter tells whether
 * a run has model versions, which leaving rows out cannot hide. The same test as `rules.ts`'s `filterNamesRun`.
 */
function filterSelects(filter: unknown, attribute: string): boolean {
  return (
    typeof filter === "string" &&
    new RegExp(`(^|[^.\\w])(attributes?\\.)?\`?${attribute}\`?\\s*(=|!=|IN|LIKE)`, "i").test(filter)
  );
}

/**
 * Whether the user may make a top-level GraphQL call, as the reference's GraphQL middleware decides before resolving
 * it; a refused call resolves to null, without an error. The searches keep only the experiments the user may read
 * (`input.experimentIds` is narrowed in place) and are refused when none is left.
 * @see mlflow/server/auth/__init__.py GraphQLAuthorizationMiddleware._check_authorization
 */
export async function mayCall(field: string, input: GraphqlInput | null | undefined, check: Checker): Promise<boolean> {
  if (!input) return true;
  switch (field) {
    case "mlflowGetExperiment":
      return !input.experimentId || check.experiment(input.experimentId).canRead;
    case "mlflowGetRun":
    case "mlflowListArtifacts": {
      const runId = input.runId || input.runUuid;
      return !runId || check.run(runId, "read");
    }
    case "mlflowGetMetricHistoryBulkInterval":
      for (const runId of strings(input.runIds)) if (!(await check.run(runId, "read"))) return false;
      return true;
    case "mlflowSearchRuns":
    case "mlflowSearchDatasets": {
      const ids = strings(input.experimentIds);
      if (ids.length === 0) return true;
      const readable =
        field === "mlflowSearchRuns"
          ? readableExperimentIds(check, ids)
          : ids.filter((id) => check.ok([{ type: "experiment", id, action: "read", fallback: [["workspace", "*"]] }]));
      if (readable.length === 0) return false;
      input.experimentIds = readable;
      return true;
    }
    case "mlflowSearchModelVersions":
      return !filterSelects(input.filter, "run_id") || check.ok([{ type: "run", id: "*", action: "not_denied" }]);
    default:
      return true;
  }
}

/**
 * The model versions the user may read, their references to a denied run or logged model withheld, as REST's
 * search answers them. @see GraphQLAuthorizationMiddleware._filter_model_versions_result
 */
export async function readableVersions(versions: readonly Row[], check: Checker): Promise<Row[]> {
  const cache = new Map<string, boolean>();
  const keep = SEARCH_FILTERS.searchModelVersions?.keep;
  const strip = REDACTIONS.searchModelVersions?.strip;
  const denied = deniedTiers(check);
  const out: Row[] = [];
  for (const v of versions) {
    if (keep && !(await keep(check, v, cache))) continue;
    strip?.(v, denied);
    out.push(v);
  }
  return out;
}

/**
 * A run's references to logged models the user is denied, withheld as REST's `runs/get` withholds them.
 * @see GraphQLAuthorizationMiddleware._post_resolve, _withhold_denied_run_model_links
 */
export function withholdRunModelLinks(runs: readonly Row[], check: Checker): void {
  const strip = REDACTIONS.getRun?.strip;
  const denied = deniedTiers(check);
  if (strip) for (const run of runs) strip(run, denied);
}
