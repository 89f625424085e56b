/**
 * The image grid chart kind's loader: the `image-grid` area's `<tl-image-grid-panel>` (its grid with its toolbar) is a
 * chunk of its own (FEATURES entry `image-grid`), loaded when an image-grid card first shows.
 */
let panel: Promise<boolean> | undefined;

/** Loads the panel; true once `<tl-image-grid-panel>` is defined (a failed import is tried again next time). */
export function loadImagePanel(): Promise<boolean> {
  panel ??= import("./image-grid-panel.js").then(
    () => customElements.get("tl-image-grid-panel") !== undefined,
    (e) => {
      panel = undefined;
      throw e;
    },
  );
  return panel;
}
