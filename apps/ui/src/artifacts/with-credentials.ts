import { client } from "../api.js";
import { loadCredentials } from "../auth/session.js";
import { describeError } from "../components/error.js";
import { toast } from "../components/toast.js";

/**
 * The browser's own requests for an artifact (an `<img src>`, a download link) carry none of the sign-in: the UI's
 * credentials are a header, not a cookie, and a server with basic auth refuses them (or, worse, makes the browser
 * prompt). When signed in, these go through the client instead and become `blob:` URLs; without sign-in the plain
 * URL is used as before.
 */
export const signedIn = (): boolean => loadCredentials() !== undefined;

/** The file at `url` (on this server) fetched with the tab's credentials, as a `blob:` URL the caller revokes. */
export async function blobUrl(url: string, signal?: AbortSignal): Promise<string> {
  const res = await client.transport.requestUrl("GET", url, { signal });
  return URL.createObjectURL(await res.blob());
}

/**
 * A download link's click handler: when signed in, the file is fetched with the credentials and saved as `name`;
 * otherwise the link does its usual work.
 */
export function downloadWithCredentials(e: MouseEvent, url: string, name: string): void {
  if (!signedIn()) return;
  e.preventDefault();
  blobUrl(url).then(
    (href) => {
      const a = Object.assign(document.createElement("a"), { href, download: name });
      document.body.append(a);
      a.click();
      a.remove();
      setTimeout(() => URL.revokeObjectURL(href), 60_000);
    },
    (error) => toast(`Could not download ${name}: ${describeError(error).message}`, "error"),
  );
}
