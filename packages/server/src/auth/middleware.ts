import { Buffer } from "node:buffer";
import type { Context, Hono, MiddlewareHandler } from "hono";
import type { Store } from "../store/index.js";
import { Checker } from "./checker.js";
import { redact } from "./redaction.js";
import { RequestParams } from "./request-params.js";
import { isInternal, setSignedInUser, workspaceOf } from "./request-state.js";
import { forbidden, tooManyAttempts, unauthenticated } from "./responses.js";
import { buildRouteTable, findRoute } from "./route-table.js";
import { RuleAnswer, type RuleContext } from "./rule-types.js";
import { scorerPattern } from "./scorer-rules.js";
import { filterSearch, readableExperimentIds, researchRuns, SEARCH_FILTERS } from "./search-filters.js";
import type { AuthService, SignIn } from "./service.js";

const API_PREFIX = /^\/(?:ajax-)?api\/\d+\.\d+/;

/** The credentials of a request: HTTP basic (username, password) or a bearer token. */
function credentials(c: Context): { username: string; password: string } | { token: string } | undefined {
  const header = c.req.header("authorization") ?? "";
  const [scheme = "", value = ""] = header.trim().split(/\s+/, 2);
  if (/^basic$/i.test(scheme)) {
    let decoded: string;
    try {
      decoded = Buffer.from(value, "base64").toString("utf8");
    } catch {
      return undefined;
    }
    const colon = decoded.indexOf(":");
    if (colon < 0) return undefined;
    return { username: decoded.slice(0, colon), password: decoded.slice(colon + 1) };
  }
  if (/^bearer$/i.test(scheme) && value) return { token: value };
  return undefined;
}

/** The query of a GET as the route reads it (repeated keys as lists), or the JSON body. */
async function searchRequest(c: Context, params: RequestParams): Promise<Record<string, unknown>> {
  if (c.req.method !== "GET") return params.all();
  return Object.fromEntries(Object.entries(c.req.queries()).map(([k, v]) => [k, v.length > 1 ? v : v[0]]));
}

/**
 * Signs every request in (HTTP basic or an API token) and checks the permission its route requires, as the
 * reference's `_before_request` does; then gives creators MANAGE, drops grants of deleted registered models, and
 * leaves out of search answers what the user may not read (`_after_request`).
 * @see mlflow/server/auth/__init__.py _before_request, _after_request
 */
export function authMiddleware(auth: AuthService, app: Hono, store: Store): MiddlewareHandler {
  const table = buildRouteTable();
  return async (c, next) => {
    if (isInternal(c)) return next();
    const path = c.req.path;
    const found = findRoute(table, c.req.method, path);
    if (found?.route.rule === "open") return next();

    const xhr = (c.req.header("x-requested-with") ?? "").toLowerCase() === "xmlhttprequest";
    const creds = credentials(c);
    if (!creds) return unauthenticated(xhr);
    const result: SignIn =
      "token" in creds
        ? await auth.signInWithToken(c, creds.token)
        : await auth.signInWithPassword(c, creds.username, creds.password);
    if ("retryAfter" in result) return tooManyAttempts(result.retryAfter);
    if (!("user" in result)) return unauthenticated(xhr);
    const user = result.user;
    setSignedInUser(c, user);

    const workspace = workspaceOf(c);
    const params = new RequestParams(c, found?.pathParams);
    const name = found?.route.name;
    // Admins pass every check and see every row, as in the reference.
    const checker = user.is_admin
      ? undefined
      : new Checker(store, await auth.roles.grants(user.id, workspace), auth.config.defaultPermission);

    // Fail closed, as the reference does by default (MLFLOW_BASIC_AUTH_FAIL_CLOSED): a route with no rule (an unknown
    // path, or a known one with another method) is refused to non-admins before it can answer 404 or 405.
    if (checker && !found) return forbidden();
    if (checker && found) {
      const rule = found.route.rule;
      if (rule === "admin") return forbidden();
      if (typeof rule === "function") {
        const ctx: RuleContext = {
          c,
          user,
          check: checker,
          params,
          users: auth.users,
          roles: auth.roles,
          workspace,
          subpath: path.replace(API_PREFIX, ""),
        };
        try {
          if (!(await rule(ctx))) return forbidden();
        } catch (e) {
          if (e instanceof RuleAnswer) return e.response;
          throw e;
        }
      }
      if (name === "searchRuns") {
        const request = await params.all();
        const ids = Array.isArray(request.experiment_ids) ? request.experiment_ids.map(String) : [];
        const readable = readableExperimentIds(checker, ids);
        if (readable.length !== ids.length) {
          c.res = readable.length === 0 ? c.json({}) : await app.fetch(researchRuns(c, request, readable));
          if (c.res.ok) await redact(c, "searchRuns", checker);
          return c.res;
        }
      }
    }

    await next();
    if (c.res.status >= 400 || !name) return;
    await afterRequest(auth, app, c, name, params, user, workspace, checker);
  };
}

/** What follows a successful request. @see AFTER_REQUEST_PATH_HANDLERS */
async function afterRequest(
  auth: AuthService,
  app: Hono,
  c: Context,
  name: string,
  params: RequestParams,
  user: { id: number },
  workspace: string,
  checker: Checker | undefined,
): Promise<void> {
  switch (name) {
    // the registering user manages the scorer; deleting it (or a version) drops its grants.
    // @see set_can_manage_scorer_permission, delete_scorer_permissions_cascade
    case "registerScorer": {
      const body = (await c.res.clone().json()) as { experiment_id?: string; name?: string };
      if (body.experiment_id && body.name)
        await auth.roles.upsertUserGrant(
          user.id,
          workspace,
          "scorer",
          scorerPattern(body.experiment_id, body.name),
          "MANAGE",
        );
      return;
    }
    case "deleteScorer": {
      const all = await params.all();
      if (typeof all.experiment_id === "string" && all.experiment_id && typeof all.name === "string" && all.name)
        await auth.roles.deleteGrantsFor(workspace, "scorer", scorerPattern(all.experiment_id, all.name));
      return;
    }
    case "createExperiment": {
      const body = (await c.res.clone().json()) as { experiment_id?: string };
      if (body.experiment_id)
        await auth.roles.upsertUserGrant(user.id, workspace, "experiment", body.experiment_id, "MANAGE");
      return;
    }
    case "createRegisteredModel": {
      const body = (await c.res.clone().json()) as {
        registered_model?: { name?: string; tags?: { key: string; value?: string }[] };
      };
      const model = body.registered_model;
      if (!model?.name) return;
      const isPrompt = (model.tags ?? []).some(
        (t) => t.key === "mlflow.prompt.is_prompt" && String(t.value).toLowerCase() === "true",
      );
      await auth.roles.upsertUserGrant(
        user.id,
        workspace,
        isPrompt ? "prompt" : "registered_model",
        model.name,
        "MANAGE",
      );
      return;
    }
    case "deleteRegisteredModel": {
      const name = await params.get("name");
      await auth.roles.deleteGrantsFor(workspace, "registered_model", name);
      await auth.roles.deleteGrantsFor(workspace, "prompt", name);
      return;
    }
    case "renameRegisteredModel": {
      const all = await params.all();
      if (typeof all.name !== "string" || typeof all.new_name !== "string") return;
      await auth.roles.renameGrants(workspace, "registered_model", all.name, all.new_name);
      await auth.roles.renameGrants(workspace, "prompt", all.name, all.new_name);
      break;
    }
  }
  if (!checker) return;
  if (name === "listWorkspaces") {
    // Only the workspaces the user holds a role in. @see filter_list_workspaces
    const body = (await c.res.clone().json()) as { workspaces?: { name: string }[] };
    const mine = await auth.roles.presentWorkspaces(user.id);
    const workspaces = (body.workspaces ?? []).filter((w) => mine.has(w.name));
    c.res = c.json({ ...body, workspaces });
    return;
  }
  const filter = SEARCH_FILTERS[name];
  if (filter) await filterSearch(app, c, filter, checker, await searchRequest(c, params));
  await redact(c, name, checker);
}
