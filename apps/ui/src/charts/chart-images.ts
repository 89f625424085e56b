/**
 * The hook for the image grid chart kind: the `image-grid` area's `<tl-image-grid-panel>` (its grid with its toolbar,
 * in a chunk of its own, FEATURES entry `image-grid`). Vite's glob import finds `image-grid-panel.ts` when it is part
 * of the source tree and yields nothing when it is not, so this branch builds with or without that area merged.
 */
const panels = import.meta.glob("./image-grid-panel.ts");

/** Loads the panel; false when this build has none. */
export async function loadImagePanel(): Promise<boolean> {
  const load = Object.values(panels)[0];
  if (!load) return false;
  await load();
  return customElements.get("tl-image-grid-panel") !== undefined;
}
