/** The width of the runs table's run-name column, sized to the names it shows. Pure given a text measure. */
import type { Measure } from "../lib/text-measure.js";

/** Padding, checkbox, expander, swatch, pin and eye buttons and the gaps between them: all but the name (139 px measured in Chromium, plus a margin). */
export const NAME_CHROME = 146;
/** Room for the "deleted" tag after a deleted run's name. */
const DELETED_TAG = 52;
/** Pixels of indent per tree level. */
export const INDENT = 14;
export const MIN_NAME_W = 200;
/** The cap: wider names are cut with an ellipsis (their full text in the tooltip). */
export const MAX_NAME_W = 560;

export interface NamedRow {
  name: string;
  depth: number;
  deleted?: boolean;
}

/**
 * Wide enough for the widest name (with its indent) among `rows`, between MIN_NAME_W and `max`; the default width
 * cut every name of a sweep to the same prefix.
 */
export function nameColumnWidth(rows: readonly NamedRow[], measure: Measure, max = MAX_NAME_W): number {
  let widest = 0;
  for (const r of rows) {
    const w = r.depth * INDENT + measure(r.name) + (r.deleted ? DELETED_TAG : 0);
    if (w > widest) widest = w;
  }
  return Math.round(Math.min(Math.max(MIN_NAME_W, Math.ceil(widest) + NAME_CHROME), Math.max(MIN_NAME_W, max)));
}
