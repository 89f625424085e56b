import { describe, expect, it } from "vitest";
import { BUDGETS, biggest, FEATURES, kb, LAZY_PARTS, measure } from "../scripts/sizes.mjs";

/**
 * Issue 7's size budgets, on the built UI (apps/ui/dist; `npm test` builds first): everything shipped ≤ 200 KB gzip,
 * the first page (the entry and its static imports) ≤ 80 KB gzip. Features of later issues (Tracing) are lazily
 * loaded chunks with budgets of their own, outside those 200 KB.
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

  it.each(FEATURES.map((f) => [f.name, f]))("keeps the %s feature lazy and within its own budget", (_name, f) => {
    if (sizes instanceof Error) return expect.fail("run the build first");
    const got = sizes.features.find((x) => x.name === f.name);
    expect(got?.files.length, `${f.name} has no chunks of its own`).toBeGreaterThan(0);
    expect(got?.lazy, `${f.name} is loaded by the first page`).toBe(true);
    if (got && got.gzip > f.budget) {
      expect.fail(`${f.name} is ${kb(got.gzip)} gzip, over ${kb(f.budget)}. Biggest:\n${biggest(got.files)}`);
    }
  });
});
