/** Text widths in px, for sizing labels and columns to their content. */

/** Text width in px for a CSS font. */
export type Measure = (text: string) => number;

/**
 * A measure for `font` from a canvas; where there is no canvas (unit tests in happy-dom) an estimate of 0.62 em per
 * character, on the wide side so that labels never overflow.
 */
export function canvasMeasure(font: string, px: number): Measure {
  const ctx = typeof document !== "undefined" ? document.createElement("canvas").getContext?.("2d") : null;
  if (ctx && typeof ctx.measureText === "function") {
    ctx.font = font;
    const cache = new Map<string, number>();
    return (text) => {
      let w = cache.get(text);
      if (w === undefined) {
        w = ctx.measureText(text).width;
        cache.set(text, w);
      }
      return w;
    };
  }
  return (text) => text.length * px * 0.62;
}
