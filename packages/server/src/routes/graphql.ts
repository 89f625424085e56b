import { type ErrorCode, WORKSPACE_HEADER } from "@tracklite/schemas";
import type { Context, Hono } from "hono";
import { Checker } from "../auth/checker.js";
import type { AuthService } from "../auth/index.js";
import { markInternal, signedInUser, workspaceOf } from "../auth/request-state.js";
import { invalidParameter, MlflowError } from "../errors.js";
import type { GraphqlContext } from "../graphql/context.js";
import type { GraphqlRequest } from "../graphql/execute.js";
import { DEFAULT_GRAPHQL_OPTIONS, type GraphqlOptions } from "../graphql/options.js";
import { readBodyText } from "../http/json-body.js";
import { parseJsonLeniently, requireJsonContentType } from "../http/parse-request.js";
import type { Store } from "../store/index.js";
import { storeIn } from "../workspaces/middleware.js";

/** The reference serves `/graphql`; tracklite also answers under `/ajax-api/`, beside the UI's other calls. */
export const GRAPHQL_PATHS = ["/graphql", "/ajax-api/graphql"] as const;
const METHODS = ["GET", "POST"];

const NOT_AN_OBJECT = "A GraphQL request must be a JSON object with the query as its 'query' string.";

/** The GraphQL engine, loaded on the first query: the server starts without reading it. */
const engine = () => import("../graphql/execute.js");

/**
 * The request's query, variables and operation name: the JSON body (a POST's, or a GET's as the reference reads
 * it), else for a GET the URL's `query`, `variables` (JSON) and `operationName`. The reference answers a body that
 * is no JSON object, or a batch (a JSON array of requests), with 500; tracklite with 400.
 */
async function readGraphqlRequest(c: Context): Promise<GraphqlRequest> {
  if (c.req.method === "POST") requireJsonContentType(c);
  const text = await readBodyText(c);
  let body: unknown;
  if (text.trim() !== "" || c.req.method === "POST") {
    body = parseJsonLeniently(text);
  } else {
    const variables = c.req.query("variables");
    body = {
      query: c.req.query("query"),
      variables: variables === undefined ? undefined : (parseJsonLeniently(variables) ?? variables),
      operationName: c.req.query("operationName"),
    };
  }
  if (Array.isArray(body)) {
    throw invalidParameter("Batched GraphQL requests are not supported: send one query per request.");
  }
  if (body === null || typeof body !== "object") throw invalidParameter(NOT_AN_OBJECT);
  const { query, variables, operationName } = body as Record<string, unknown>;
  if (typeof query !== "string") throw invalidParameter(NOT_AN_OBJECT);
  if (variables !== undefined && variables !== null && (typeof variables !== "object" || Array.isArray(variables))) {
    throw invalidParameter("The GraphQL request's 'variables' must be a JSON object.");
  }
  if (operationName !== undefined && operationName !== null && typeof operationName !== "string") {
    throw invalidParameter("The GraphQL request's 'operationName' must be a string.");
  }
  return {
    query,
    variables: (variables ?? undefined) as Record<string, unknown> | undefined,
    operationName: operationName ?? undefined,
  };
}

/** `/graphql`'s dependencies: the app (for the REST reads it makes), the store, and basic auth if on. */
export interface GraphqlDeps {
  store: Store;
  auth?: AuthService | undefined;
  options?: GraphqlOptions | undefined;
}

/**
 * `GET|POST /graphql` and `/ajax-api/graphql`: the reference's GraphQL API for its UI (runs, experiments, model
 * versions, sampled metric histories, artifact listings), answered with status 200 and `{data, errors}`.
 * @see mlflow/server/handlers.py _graphql
 */
export function graphqlRoutes(app: Hono, { store, auth, options = DEFAULT_GRAPHQL_OPTIONS }: GraphqlDeps): void {
  const at = storeIn(store);

  /** The user's permission checks, when the objects a query reads are checked. @see get_graphql_authorization_middleware */
  const checkerOf = async (c: Context): Promise<Checker | undefined> => {
    if (!auth || !options.authorization) return undefined;
    const user = signedInUser(c);
    if (user.is_admin) return undefined;
    return new Checker(store, await auth.roles.grants(user.id, workspaceOf(c)), auth.config.defaultPermission);
  };

  /** A REST read of this server's, in the request's workspace, past the permission checks already made. */
  const restOf =
    (c: Context): GraphqlContext["rest"] =>
    async (path, body) => {
      const headers = new Headers();
      const workspace = c.req.header(WORKSPACE_HEADER);
      if (workspace) headers.set(WORKSPACE_HEADER, workspace);
      if (body !== undefined) headers.set("Content-Type", "application/json");
      const init = body === undefined ? { headers } : { method: "POST", headers, body: JSON.stringify(body) };
      // Under the request's own prefix (`--static-prefix`), which `c.req.path` leaves out.
      const url = new URL(c.req.url);
      const prefix = url.pathname.slice(0, url.pathname.length - c.req.path.length);
      const res = await app.fetch(markInternal(new Request(new URL(prefix + path, url), init)));
      const json = (await res.json().catch(() => ({}))) as Record<string, unknown>;
      if (res.ok) return json;
      const code = (typeof json.error_code === "string" ? json.error_code : "INTERNAL_ERROR") as ErrorCode;
      throw new MlflowError(typeof json.message === "string" ? json.message : `HTTP ${res.status}`, code, res.status);
    };

  for (const path of GRAPHQL_PATHS) {
    app.on(METHODS, path, async (c) => {
      const request = await readGraphqlRequest(c);
      const { runGraphql } = await engine();
      const context: GraphqlContext = {
        store: at(c),
        check: await checkerOf(c),
        rest: restOf(c),
        urlQuery: new URL(c.req.url).searchParams,
        experiments: new Map(),
      };
      return c.json(await runGraphql(request, context, options));
    });
    app.all(path, (c) => {
      c.header("Allow", [...METHODS, ...(c.req.method === "OPTIONS" ? ["OPTIONS"] : [])].join(", "));
      if (c.req.method === "OPTIONS") return c.body(null, 204);
      return c.json(
        new MlflowError(`Method ${c.req.method} is not allowed for ${c.req.path}; use GET or POST.`, "BAD_REQUEST"),
        405,
      );
    });
  }
}
