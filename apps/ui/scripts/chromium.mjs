// Debian's Chromium as the end-to-end tests and the UI bench launch it (see /work/shared/platform-notes.md): as root
// on a closed network, never a downloaded browser. Playwright adds --headless and a fresh --user-data-dir.

/** Where Chromium is: TRACKLITE_CHROMIUM, else Debian's package. */
export const CHROMIUM_PATH = process.env.TRACKLITE_CHROMIUM ?? "/usr/bin/chromium";

export const CHROMIUM_FLAGS = [
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];
