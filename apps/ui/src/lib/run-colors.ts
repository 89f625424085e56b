/**
 * Run colours: a colour-blind-safe palette, adjusted per theme for contrast, and the assignment of palette slots to
 * the runs in view. A hash alone gives collisions (five runs drew brown, olive and two oranges); instead the runs a
 * page shows get distinct slots in palette order (the first colours are the ones furthest apart), a run keeps its
 * slot while it stays in view, and a run new to the view takes the first free slot. Runs not in view (a run page
 * opened directly) fall back to a hash of their id.
 */

/**
 * Okabe & Ito's and Paul Tol's colour-blind-safe colours, ordered so that the first ones stay apart under protanopia,
 * deuteranopia and tritanopia (checked in run-colors.test.ts): blue, vermillion, sky blue, wine, green, sand,
 * reddish purple, bluish green, brown, grey.
 */
export const RUN_PALETTE = [
  "#0072b2",
  "#d55e00",
  "#56b4e9",
  "#882255",
  "#117733",
  "#ddcc77",
  "#cc79a7",
  "#009e73",
  "#994f00",
  "#bbbbbb",
] as const;

const BACKGROUND = { light: [255, 255, 255], dark: [21, 24, 30] } as const;

const luminance = (rgb: readonly number[]) => {
  const [r = 0, g = 0, b = 0] = rgb.map((c) => {
    const v = c / 255;
    return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4;
  });
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
};

/** WCAG contrast ratio of two sRGB colours. */
export function contrast(a: readonly number[], b: readonly number[]): number {
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x) as [number, number];
  return (hi + 0.05) / (lo + 0.05);
}

const hex = (rgb: number[]) => `#${rgb.map((c) => Math.round(c).toString(16).padStart(2, "0")).join("")}`;

/**
 * The palette colour moved towards black (light theme) or white (dark theme) just enough for a 3:1 contrast with the
 * background (WCAG's figure for graphics), keeping its hue: the same run keeps the same colour family in both themes.
 */
function adjust(color: string, theme: "light" | "dark"): string {
  const base = [1, 3, 5].map((i) => Number.parseInt(color.slice(i, i + 2), 16));
  const bg = BACKGROUND[theme];
  const target = theme === "light" ? 0 : 255;
  let rgb = base;
  for (let t = 0; t <= 1 && contrast(rgb, bg) < 3; t += 0.05) rgb = base.map((c) => c + (target - c) * t);
  return hex(rgb);
}

const adjusted = { light: new Map<string, string>(), dark: new Map<string, string>() };

/** A palette slot's colour for a theme (contrast-adjusted, cached). */
export function paletteColor(slot: number, theme: "light" | "dark"): string {
  const base = RUN_PALETTE[slot % RUN_PALETTE.length] ?? RUN_PALETTE[0];
  const cache = adjusted[theme];
  let c = cache.get(base);
  if (!c) {
    c = adjust(base, theme);
    cache.set(base, c);
  }
  return c;
}

/** The hash slot of a run: FNV-1a of its id, for a run outside the runs in view. */
export function runColorIndex(runId: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < runId.length; i++) {
    h ^= runId.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h % RUN_PALETTE.length;
}

/** Palette slots of the runs in view. */
export class RunColorSlots {
  private slots = new Map<string, number>();

  constructor(private readonly size: number = RUN_PALETTE.length) {}

  /**
   * Sets the runs in view. `primary` (the charted runs, in order) get distinct slots while there are enough: each
   * keeps its slot unless an earlier one holds it; `secondary` (the rest of the table) keep theirs and fill the least
   * used slots. Runs no longer in view give their slot back.
   */
  assign(primary: readonly string[], secondary: readonly string[] = []): void {
    const next = new Map<string, number>();
    const used = new Array<number>(this.size).fill(0);
    const least = () => Math.min(...used);
    const take = (id: string, slot: number) => {
      next.set(id, slot);
      used[slot] = (used[slot] ?? 0) + 1;
    };
    const fresh = (id: string) => take(id, used.indexOf(least()));
    const prim = [...new Set(primary)];
    // Runs already coloured first, so a newcomer never takes the slot of a run that stays.
    const later: string[] = [];
    for (const id of prim) {
      const old = this.slots.get(id);
      if (old !== undefined && used[old] === least()) take(id, old);
      else later.push(id);
    }
    for (const id of later) fresh(id);
    for (const id of secondary) {
      if (next.has(id)) continue;
      const old = this.slots.get(id);
      if (old !== undefined) take(id, old);
      else fresh(id);
    }
    this.slots = next;
  }

  /** The slot of a run in view, undefined for others. */
  slot(runId: string): number | undefined {
    return this.slots.get(runId);
  }
}

/** The page's runs in view (one per document: a run keeps its colour from the table to the compare page). */
export const runColors = new RunColorSlots();

/**
 * A run's colour (same in table swatches, chart lines and legends), readable on the theme's background: its slot
 * among the runs in view, else its hash slot. `theme` defaults to the one the document shows.
 */
export function runColor(runId: string, theme?: "light" | "dark"): string {
  const t =
    theme ?? (typeof document !== "undefined" && document.documentElement.dataset.theme === "dark" ? "dark" : "light");
  return paletteColor(runColors.slot(runId) ?? runColorIndex(runId), t);
}
