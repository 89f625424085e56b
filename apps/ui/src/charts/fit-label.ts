/** Fitting axis titles into the room they have, measured in pixels rather than guessed from a character count. */

import type { Measure } from "../lib/text-measure.js";

export { canvasMeasure, type Measure } from "../lib/text-measure.js";

/**
 * `text` if it fits in `room` px, else its longest prefix that fits with an ellipsis. Keys share prefixes
 * (`val/accuracy`, `val/loss`), so when the start differs less than the end the middle is cut instead:
 * `val/…_accuracy`. Pure given `measure`.
 */
export function fitLabel(text: string, room: number, measure: Measure): string {
  if (measure(text) <= room) return text;
  if (measure("…") > room) return "";
  // Binary search on how many characters are kept.
  let lo = 0;
  let hi = text.length;
  const fits = (n: number) => measure(cut(text, n)) <= room;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (fits(mid)) lo = mid;
    else hi = mid - 1;
  }
  return cut(text, lo);
}

/** `text` cut to n characters plus an ellipsis: the prefix up to its last `/` and the end, or the start alone. */
function cut(text: string, n: number): string {
  const slash = text.lastIndexOf("/");
  const head = slash > 0 ? text.slice(0, slash + 1) : "";
  // Keep the path prefix and the end of the name when there is room for a few characters of the end.
  if (head && n > head.length + 3) return `${head}…${text.slice(text.length - (n - head.length))}`;
  return `${text.slice(0, n)}…`;
}
