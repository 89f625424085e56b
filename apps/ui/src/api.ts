import { MlflowClient } from "@tracklite/client";

/** The one client every page uses: the `/ajax-api/` routes of the server that serves this page. */
export const client = new MlflowClient({ trackingUri: location.origin, apiPrefix: "/ajax-api", maxRetries: 2 });
