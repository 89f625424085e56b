/** Loads uPlot and its stylesheet on first use (kept out of every eagerly loaded chunk). */
import type uPlot from "uplot";

export interface UplotModule {
  uPlot: typeof uPlot;
  /** uPlot's CSS plus theme overrides, to adopt in a shadow root (its CSS does not pierce shadow DOM). */
  sheet: CSSStyleSheet;
}

const OVERRIDES = `
.uplot { font-family: var(--tl-font); }
.u-select { background: color-mix(in srgb, var(--tl-accent) 16%, transparent); }
.u-cursor-x, .u-cursor-y { border-color: var(--tl-muted) !important; }
`;

let loading: Promise<UplotModule> | undefined;

export function loadUplot(): Promise<UplotModule> {
  loading ??= Promise.all([import("uplot"), import("uplot/dist/uPlot.min.css?inline")]).then(([m, css]) => {
    const sheet = new CSSStyleSheet();
    sheet.replaceSync(css.default + OVERRIDES);
    return { uPlot: m.default, sheet };
  });
  return loading;
}

/** Adds the uPlot sheet to a shadow root once. */
export function adoptSheet(root: ShadowRoot | null, sheet: CSSStyleSheet) {
  if (root && !root.adoptedStyleSheets.includes(sheet)) root.adoptedStyleSheets = [...root.adoptedStyleSheets, sheet];
}
