import { MlflowClient } from "@tracklite/client";
import { authFetch } from "./auth/session.js";
import { serverBase } from "./lib/server-base.js";

/**
 * The one client every page uses: the `/ajax-api/` routes of the server that serves this page. `X-Requested-With`
 * marks the calls as the UI's, so an auth-enabled server answers a 401 without `WWW-Authenticate` (no native browser
 * prompt: the UI shows its own sign-in page); `authFetch` adds the tab's credentials and reports 401s.
 */
export const client = new MlflowClient({
  trackingUri: serverBase(),
  apiPrefix: "/ajax-api",
  maxRetries: 2,
  headers: { "X-Requested-With": "XMLHttpRequest" },
  fetch: authFetch,
});
