import type { ReactiveController, ReactiveControllerHost } from "lit";
import { blobUrl, signedIn } from "../artifacts/with-credentials.js";
import { runArtifactUrl } from "./logged-images-load.js";

/**
 * The `src` of a run's image for an element: the plain `get-artifact` URL, or, when the tab is signed in (the
 * browser's own `<img>` request would carry no credentials), a `blob:` URL of the file fetched with them. Blob URLs are
 * made once per file, shared by the grid and its lightbox, and revoked when the host leaves the page.
 */
export class ImageSources implements ReactiveController {
  private blobs = new Map<string, string | Promise<void>>();
  private abort = new AbortController();

  constructor(private host: ReactiveControllerHost) {
    host.addController(this);
  }

  /** The src for `path` of run `runId` ("" while a signed-in fetch is under way; the host re-renders when it lands). */
  src(runId: string, path: string): string {
    const url = runArtifactUrl(runId, path);
    if (!signedIn()) return url;
    const have = this.blobs.get(url);
    if (typeof have === "string") return have;
    if (!have) {
      const signal = this.abort.signal;
      this.blobs.set(
        url,
        blobUrl(url, signal).then(
          (blob) => {
            if (signal.aborted) URL.revokeObjectURL(blob);
            else {
              this.blobs.set(url, blob);
              this.host.requestUpdate();
            }
          },
          () => {
            // A failed fetch shows as a broken image; the next render may try again.
            this.blobs.delete(url);
          },
        ),
      );
    }
    return "";
  }

  hostConnected() {
    if (this.abort.signal.aborted) this.abort = new AbortController();
  }

  hostDisconnected() {
    this.abort.abort();
    for (const v of this.blobs.values()) if (typeof v === "string") URL.revokeObjectURL(v);
    this.blobs.clear();
  }
}
