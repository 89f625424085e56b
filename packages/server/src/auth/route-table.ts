import { type EndpointName, endpoints, type HttpMethod } from "@tracklite/schemas";
import { proxiedArtifactPath, safeArtifactPath } from "../artifacts/safe-path.js";
import { invalidParameter } from "../errors.js";
import { runIdQuery } from "../http/run-id-query.js";
import { presignedDownloadRule, presignedUploadRule, uploadArtifactRule } from "./artifact-rules.js";
import { childOfExperiment } from "./checker.js";
import { GENAI_UI_ROUTES } from "./genai-ui-rules.js";
import { GRAPHQL_ROUTES } from "./graphql-rules.js";
import { PERMISSIONS, type Requirement } from "./permissions.js";
import { RULES, type Rule, type RuleContext } from "./rules.js";
import { otlpIngestRule, traceArtifactRule } from "./trace-rules.js";

/** One served route and the permission it requires; `"open"` routes need no sign-in at all. */
export interface RouteRule {
  /** The endpoint's name in the shared table, or a name for a route outside it. */
  name: string;
  methods: readonly string[];
  pattern: RegExp;
  rule: Rule | "open";
}

const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
const compile = (prefix: string, path: string) =>
  new RegExp(`^${prefix}${escapeRegExp(path).replace(/:(\w+)/g, "(?<$1>[^/]+)")}$`);

/** The URL prefixes an endpoint of the shared table is served under. */
export function prefixesOf(name: EndpointName): string[] {
  const e = endpoints[name] as { ajaxOnly?: boolean; v3Only?: boolean; v2Only?: boolean; auth?: boolean };
  const versions = e.v3Only ? ["3.0"] : e.auth || e.v2Only ? ["2.0"] : ["2.0", "3.0"];
  const roots = e.ajaxOnly ? ["/ajax-api"] : ["/api", "/ajax-api"];
  return roots.flatMap((r) => versions.map((v) => `${r}/${v}`));
}

/**
 * The reference serves its tracking, registry and artifact routes under 2.0 only (tracklite also answers their 3.0
 * twins): their rules match 2.0, so a twin has none and is refused to non-admins, as the unknown path it is there.
 */
const API = "/(?:ajax-)?api/2\\.0";
/** server-info is a 3.0 route (tracklite also answers it under 2.0). */
const API_ANY = "/(?:ajax-)?api/(?:2\\.0|3\\.0)";

/** `<experiment_id>/…` at the start of a proxied artifact path. */
const EXPERIMENT_PREFIX = /^(\d+)\//;
const RUN_ID = /^[0-9a-f]{32}$/;
const PROXY_CHILD_FOLDERS: Record<string, string> = { models: "logged_model", traces: "trace" };

/**
 * The sub-resource tiers a proxied artifact path is judged against: none for an experiment-level artifact, else the
 * run, logged-model or trace tier it lies in; a (recursive) delete reaches every tier below.
 * @see mlflow/server/auth/__init__.py _artifact_proxy_child_types
 */
export function proxyChildTypes(path: string, recursive: boolean): string[] {
  const rest = `${path.replace(/^\/+/, "")}/`.replace(EXPERIMENT_PREFIX, "");
  const segments = rest.split("/").filter(Boolean);
  if (segments.length === 0) return recursive ? ["run", "trace", "logged_model"] : [];
  const child = PROXY_CHILD_FOLDERS[segments[0] ?? ""];
  if (child) return [child];
  if (segments[1] === "artifacts" || RUN_ID.test(segments[0] ?? "")) return ["run"];
  return recursive ? ["run"] : [];
}

/** What precedes the artifact path in a proxied request's path below the API prefix. */
const PROXY_PREFIX = /^\/mlflow-artifacts\/(?:artifacts|mpu\/\w+|presigned)/;
const PROXY_CAN = { read: "canRead", update: "canUpdate", manage: "canManage" } as const;

/** A proxied artifact request (`mlflow-artifacts/…`), keyed by the experiment id its path starts with. */
const proxyRule =
  (action: "read" | "update" | "manage"): Rule =>
  async (ctx: RuleContext) => {
    let path: string;
    try {
      // The handler's own reading of the path (one decoding rule for both), so the experiment judged is the folder
      // served; an unsafe path (`..`, absolute, backslashes) is refused here rather than judged.
      path =
        ctx.subpath === "/mlflow-artifacts/artifacts"
          ? safeArtifactPath(String((await ctx.params.optional("path")) ?? ""))
          : proxiedArtifactPath(ctx.subpath, PROXY_PREFIX.exec(ctx.subpath)?.[0] ?? "/mlflow-artifacts/artifacts");
    } catch {
      return false;
    }
    const m = EXPERIMENT_PREFIX.exec(`${path.replace(/^\/+/, "")}/`);
    // No experiment in the path: the default permission decides (the reference's answer without workspaces).
    if (!m?.[1]) return PERMISSIONS[ctx.check.defaultLevel][PROXY_CAN[action]];
    const types = proxyChildTypes(path, action === "manage");
    if (types.length === 0) return ctx.check.experiment(m[1])[PROXY_CAN[action]];
    return ctx.check.ok([
      { type: "experiment", id: m[1], action: "read" },
      ...types.map((t): Requirement => ({ type: t, id: "*", action, fallback: [["experiment", m[1] as string]] })),
    ]);
  };

/** `get-artifact` and `upload-artifact` name their run by `run_id` or `run_uuid`. @see _run_id_or_uuid_param */
const runArtifact =
  (action: "read" | "update"): Rule =>
  async ({ check, c }) => {
    // The query string only (upload-artifact's body is the file), read as the handler reads it.
    const runId = runIdQuery(c);
    if (!runId) throw invalidParameter("Request must specify run_id or run_uuid parameter");
    const exp = await check.runExperiment(runId);
    return exp !== undefined && check.ok(childOfExperiment(exp, "run", action));
  };

/** A model version's artifact: READ on the registered model, and its version tier not denied. */
const modelVersionArtifact: Rule = async ({ check, params }) => {
  const name = params.query("name");
  if (!name) throw invalidParameter("Request must specify name parameter");
  if (!check.on("registered_model", name).canRead) return false;
  const kind = await check.registryKind(name);
  if (kind === undefined) return false;
  const versionType = kind === "prompt" ? "prompt_version" : "registered_model_version";
  return check.ok([{ type: versionType, id: "*", action: "not_denied", fallback: [[kind, name]] }]);
};

/**
 * Routes served outside the shared endpoint table. The reference leaves `/health`, `/static…` and server-info open;
 * tracklite also leaves its web UI's static files open, because the UI shows its own sign-in page.
 */
export const EXTRA_ROUTES: readonly RouteRule[] = [
  { name: "health", methods: ["GET"], pattern: /^\/health$/, rule: "open" },
  { name: "serverInfo", methods: ["GET"], pattern: new RegExp(`^${API_ANY}/mlflow/server-info$`), rule: "open" },
  { name: "uiIndex", methods: ["GET"], pattern: /^\/(?:index\.html)?$/, rule: "open" },
  { name: "uiAssets", methods: ["GET"], pattern: /^\/(?:assets\/.*|favicon\.(?:ico|svg))$/, rule: "open" },
  // links (issue 15): MLflow's notebook trace renderer (open under `/static-files` in the reference) only redirects
  // to the UI, which signs in itself.
  {
    name: "notebookTraceRenderer",
    methods: ["GET"],
    pattern: /^\/static-files\/lib\/notebook-trace-renderer\/index\.html$/,
    rule: "open",
  },
  { name: "version", methods: ["GET"], pattern: /^\/version$/, rule: "authenticated" },
  // The OpenAPI description of the API: no tenant data, but not public in the reference's sense either.
  { name: "openApi", methods: ["GET"], pattern: /^\/api\/openapi\.json$/, rule: "authenticated" },
  { name: "getArtifact", methods: ["GET"], pattern: /^\/get-artifact$/, rule: runArtifact("read") },
  {
    name: "getModelVersionArtifact",
    methods: ["GET"],
    pattern: /^\/model-versions\/get-artifact$/,
    rule: modelVersionArtifact,
  },
  {
    name: "uploadArtifact",
    methods: ["POST"],
    pattern: /^\/ajax-api\/2\.0\/mlflow\/upload-artifact$/,
    rule: uploadArtifactRule,
  },
  {
    name: "listArtifacts",
    methods: ["GET"],
    pattern: new RegExp(`^${API}/mlflow/artifacts/list$`),
    rule: runArtifact("read"),
  },
  {
    name: "listLoggedModelArtifacts",
    methods: ["GET"],
    pattern: new RegExp(`^${API}/mlflow/logged-models/(?<model_id>[^/]+)/artifacts/directories$`),
    rule: async ({ check, params }) => check.loggedModel(await params.get("model_id"), "read"),
  },
  // The file download is an ajax route only (as served): under `/api/…` it has no rule, so non-admins get 403.
  {
    name: "getLoggedModelArtifact",
    methods: ["GET"],
    pattern: /^\/ajax-api\/2\.0\/mlflow\/logged-models\/(?<model_id>[^/]+)\/artifacts\/files$/,
    rule: async ({ check, params }) => check.loggedModel(await params.get("model_id"), "read"),
  },
  // The UI's span download, an ajax route under both versions. @see validate_can_read_trace_artifact
  {
    name: "getTraceArtifact",
    methods: ["GET"],
    pattern: /^\/ajax-api\/(?:2|3)\.0\/mlflow\/get-trace-artifact$/,
    rule: traceArtifactRule,
  },
  // OTLP ingest: every path under `/v1/traces` (the reference's prefix match), whatever the method.
  {
    name: "otlpTraces",
    methods: ["GET", "POST", "PUT", "PATCH", "DELETE"],
    pattern: /^\/v1\/traces/,
    rule: otlpIngestRule,
  },
  {
    name: "proxyList",
    methods: ["GET"],
    pattern: new RegExp(`^${API}/mlflow-artifacts/artifacts$`),
    rule: proxyRule("read"),
  },
  {
    name: "proxyDownload",
    methods: ["GET"],
    pattern: new RegExp(`^${API}/mlflow-artifacts/artifacts/.+$`),
    rule: proxyRule("read"),
  },
  {
    name: "proxyUpload",
    methods: ["PUT"],
    pattern: new RegExp(`^${API}/mlflow-artifacts/artifacts/.+$`),
    rule: proxyRule("update"),
  },
  {
    name: "proxyDelete",
    methods: ["DELETE"],
    pattern: new RegExp(`^${API}/mlflow-artifacts/artifacts/.+$`),
    rule: proxyRule("manage"),
  },
  {
    name: "proxyMultipart",
    methods: ["POST"],
    pattern: new RegExp(`^${API}/mlflow-artifacts/mpu/(?:create|complete|abort)/.+$`),
    rule: proxyRule("update"),
  },
  ...GENAI_UI_ROUTES,
  // Presigned artifact URLs.
  {
    name: "proxyPresignedDownload",
    methods: ["GET"],
    pattern: new RegExp(`^${API}/mlflow-artifacts/presigned/.+$`),
    rule: proxyRule("read"),
  },
  {
    name: "createPresignedUploadUrl",
    methods: ["POST"],
    pattern: new RegExp(`^${API}/mlflow/artifacts/presigned-upload-url$`),
    rule: presignedUploadRule,
  },
  {
    name: "createPresignedDownloadUrl",
    methods: ["POST"],
    pattern: new RegExp(`^${API}/mlflow/artifacts/presigned-download-url$`),
    rule: presignedDownloadRule,
  },
  // GraphQL (graphql area).
  ...GRAPHQL_ROUTES,
];

/** Endpoints the reference serves under both 2.0 and 3.0 (the v2 and v3 trace RPCs sharing a path and handler). */
const BOTH_VERSIONS: ReadonlySet<string> = new Set(["deleteTraces", "setTraceTag", "deleteTraceTag"]);

/** Every route with its rule: the shared table's endpoints under each prefix they are served at, then the rest. */
export function buildRouteTable(): RouteRule[] {
  const table: RouteRule[] = [];
  for (const name of Object.keys(endpoints) as EndpointName[]) {
    const e = endpoints[name];
    // Rules at the versions the reference serves the endpoint at: 3.0 for the 3.0 routes, else 2.0 alone.
    const ruled = prefixesOf(name).filter(
      (p) => (e as { v3Only?: boolean }).v3Only || BOTH_VERSIONS.has(name) || p.endsWith("/2.0"),
    );
    for (const prefix of ruled)
      table.push({
        name,
        methods: e.methods as readonly HttpMethod[],
        pattern: compile(prefix, e.path),
        rule: RULES[name],
      });
  }
  return [...table, ...EXTRA_ROUTES];
}

function decodeParam(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}

/** The rule of a request, and the path parameters its pattern captured; undefined for routes nobody serves. */
export function findRoute(
  table: readonly RouteRule[],
  method: string,
  path: string,
): { route: RouteRule; pathParams: Record<string, string> } | undefined {
  const m = method === "HEAD" ? "GET" : method;
  for (const route of table) {
    if (!route.methods.includes(m)) continue;
    const match = route.pattern.exec(path);
    if (match) {
      // Decoded as hono decodes `c.req.param()` for the handler, so that both read the same id.
      const pathParams = Object.fromEntries(Object.entries(match.groups ?? {}).map(([k, v]) => [k, decodeParam(v)]));
      return { route, pathParams };
    }
  }
  return undefined;
}
