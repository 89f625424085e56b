import { describe, expect, it } from "vitest";
import { BUDGETS, biggest, kb, LAZY_PARTS, measure } from "../scripts/sizes.mjs";

/**
 * Issue 7's size budgets, on the built UI (apps/ui/dist; `npm test` builds first): everything shipped ≤ 200 KB gzip,
 * the first page (the entry and its static imports) ≤ 80 KB gzip.
 */
describe("UI size budgets", () => {
  const sizes = (() => {
    try {
      return measure();
    } catch (e) {
      return e as Error;
    }
  })();

  it("has a build to measure", () => {
    if (sizes instanceof Error) expect.fail(sizes.message);
  });

  it(`ships at most ${kb(BUDGETS.total)} of JS and CSS (gzip)`, () => {
    if (sizes instanceof Error) return expect.fail("run the build first");
    if (sizes.total > BUDGETS.total) {
      expect.fail(
        `all JS+CSS is ${kb(sizes.total)} gzip, over ${kb(BUDGETS.total)}. Biggest:\n${biggest(sizes.files)}`,
      );
    }
  });

  it(`loads at most ${kb(BUDGETS.firstPage)} (gzip) for the first page`, () => {
    if (sizes instanceof Error) return expect.fail("run the build first");
    expect(sizes.firstPageFiles.length).toBeGreaterThan(0);
    if (sizes.firstPage > BUDGETS.firstPage) {
      expect.fail(
        `the first page is ${kb(sizes.firstPage)} gzip, over ${kb(BUDGETS.firstPage)}. Biggest:\n${biggest(sizes.firstPageFiles)}`,
      );
    }
  });

  it.each(LAZY_PARTS)("keeps %s in a chunk of its own, off the first page", (part) => {
    if (sizes instanceof Error) return expect.fail("run the build first");
    const lazy = sizes.lazy.find((l) => l.part === part);
    expect(lazy?.file, `${part} is not a lazily loaded chunk`).toBeDefined();
    expect(lazy?.onFirstPage).toBe(false);
  });
});
