import type { Experiment } from "@tracklite/schemas";
import type { Checker } from "../auth/checker.js";
import type { Store } from "../store/index.js";

/** What every resolver of one GraphQL request sees. */
export interface GraphqlContext {
  /** The store in the request's workspace. */
  store: Store;
  /**
   * The user's permission checks; undefined when every object may be read (no basic auth, an admin, or
   * `MLFLOW_SERVER_ENABLE_GRAPHQL_AUTH` off).
   */
  check: Checker | undefined;
  /**
   * A REST call of this server made on the request's behalf (in its workspace, past the permission checks, which
   * the GraphQL call made already): the JSON answer, or an MlflowError with the route's code and message.
   */
  rest: (path: string, body?: unknown) => Promise<Record<string, unknown>>;
  /** The query string of the `/graphql` URL, which the reference reads get-history-bulk-interval's limits from. */
  urlQuery: URLSearchParams;
  /** Experiments read in this request, by id: a search's runs mostly share one. */
  experiments: Map<string, Promise<Experiment>>;
}
