/**
 * What every e2e test file uses: `e2eSuite(name, (ui) => …)` connects to the shared Chromium, opens a 1280×800 page
 * and fails a test when the page threw an uncaught error. Assertions wait for what they check (locators, expect.poll);
 * nothing sleeps and nothing asserts a time.
 */
import { existsSync, mkdirSync } from "node:fs";
import { join } from "node:path";
import { type Browser, type BrowserContext, chromium, type Locator, type Page } from "playwright-core";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, inject } from "vitest";
import { type E2eContext, REPO } from "./context.js";

export const ctx: E2eContext = inject("e2e");
export const seed = ctx.seed;

const SHOTS = join(REPO, "test-results/ui-screenshots");
/** The README's screenshots (committed by hand): the experiment page, the charts and the run page. */
const README_SHOTS = join(REPO, "apps/ui/screenshots");

export class Ui {
  browser!: Browser;
  context!: BrowserContext;
  page!: Page;
  /** Uncaught errors of the page since the current test began. */
  errors: string[] = [];

  async open() {
    this.browser = await chromium.connect(ctx.wsEndpoint);
    await this.newContext();
  }

  /** A fresh browser context (no localStorage, no downloads) with one page. */
  async newContext(options: { colorScheme?: "light" | "dark" } = {}) {
    await this.context?.close();
    this.context = await this.browser.newContext({
      viewport: { width: 1280, height: 800 },
      acceptDownloads: true,
      colorScheme: options.colorScheme ?? "light",
    });
    this.page = await this.context.newPage();
    this.page.setDefaultTimeout(15_000);
    this.page.on("pageerror", (e) => this.errors.push(String(e.stack ?? e)));
  }

  async close() {
    await this.context?.close().catch(() => {});
    await this.browser?.close().catch(() => {});
  }

  /**
   * Opens a hash route (`/experiments/1?sort=…`) of the UI in a freshly loaded document and waits for the app element.
   * (Going from one hash to another is a same-document navigation: state of the test before would carry over.)
   */
  async goto(route: string) {
    await this.page.goto("about:blank");
    await this.page.goto(`${ctx.baseUrl}/#${route}`);
    await this.page.waitForFunction(() => customElements.get("tl-app") !== undefined);
  }

  /** The route part of the current URL (after `#`). */
  route(): string {
    return decodeURIComponent(new URL(this.page.url()).hash.replace(/^#/, ""));
  }

  /** The query of the current hash route. */
  query(): URLSearchParams {
    const hash = new URL(this.page.url()).hash;
    return new URLSearchParams(hash.includes("?") ? hash.slice(hash.indexOf("?") + 1) : "");
  }

  /**
   * Saves a screenshot to test-results/ui-screenshots/<name>.png. The README's (`readme`) also go to apps/ui/screenshots/
   * when missing there or when TRACKLITE_UPDATE_SCREENSHOTS=1, so a test run does not rewrite committed files.
   */
  async shot(name: string, readme = false) {
    mkdirSync(SHOTS, { recursive: true });
    await this.page.screenshot({ path: join(SHOTS, `${name}.png`) });
    const committed = join(README_SHOTS, `${name}.png`);
    if (readme && (process.env.TRACKLITE_UPDATE_SCREENSHOTS === "1" || !existsSync(committed))) {
      mkdirSync(README_SHOTS, { recursive: true });
      await this.page.screenshot({ path: committed });
    }
  }
}

/** A describe block with a connected page; skipped (with the reason) when the suite cannot run here. */
export function e2eSuite(name: string, body: (ui: Ui) => void) {
  describe.skipIf(Boolean(ctx.skip))(name, () => {
    const ui = new Ui();
    beforeAll(() => ui.open());
    afterAll(() => ui.close());
    beforeEach(({ task, onTestFailed }) => {
      ui.errors = [];
      // What the page looked like when a test failed: test-results/ui-screenshots/FAILED-<test>.png.
      onTestFailed(async () => {
        const name = task.name.replace(/[^\w]+/g, "-").slice(0, 60);
        await ui.page?.screenshot({ path: join(SHOTS, `FAILED-${name}.png`) }).catch(() => {});
      });
    });
    afterEach(() => {
      expect(ui.errors, "uncaught errors in the page").toEqual([]);
    });
    body(ui);
  });
}

/**
 * The visible text of an element including what its shadow roots and slots render (innerText stops at both). Whitespace is
 * collapsed to single spaces, except in a <pre> (whose lines and indents are kept).
 */
function deepText(root: Element): string {
  // Shadow hosts and slots: innerText follows neither into a shadow root nor to slotted content.
  const hasShadow = (el: Element): boolean =>
    [el, ...el.querySelectorAll("*")].some((e) => e.shadowRoot || e.localName === "slot");
  // innerText on purpose: what is shown (hidden parts left out, <pre> lines kept), not the raw text nodes.
  if (!hasShadow(root) && root instanceof HTMLElement) {
    // biome-ignore lint/performance/useDomNodeTextContent: the rendered text is what the tests assert on
    const shown = root.innerText;
    return root.closest("pre") ? shown : shown.replace(/\s+/g, " ").trim();
  }
  const parts: string[] = [];
  const walk = (n: Node) => {
    if (n.nodeType === Node.TEXT_NODE) {
      parts.push(n.textContent ?? "");
      return;
    }
    if (n instanceof Element) {
      if (n.localName === "style" || n.localName === "script" || n.localName === "template") return;
      const display = getComputedStyle(n).display;
      // display: contents (slots) has no box, so checkVisibility() says false: its children decide.
      if (display !== "contents" && !n.checkVisibility()) return;
      const block = !display.startsWith("inline") && display !== "contents";
      if (block) parts.push(" ");
      if (n.shadowRoot) {
        for (const c of n.shadowRoot.childNodes) walk(c);
      } else if (n instanceof HTMLSlotElement) {
        const assigned = n.assignedNodes({ flatten: true });
        for (const c of assigned.length ? assigned : [...n.childNodes]) walk(c);
      } else if (n instanceof HTMLElement && !hasShadow(n)) {
        // biome-ignore lint/performance/useDomNodeTextContent: the rendered text, as above
        parts.push(n.innerText);
      } else {
        for (const c of n.childNodes) walk(c);
      }
      if (block) parts.push(" ");
      return;
    }
    for (const c of n.childNodes) walk(c);
  };
  walk(root);
  return parts.join("").replace(/\s+/g, " ").trim();
}

/** Waits until `locator` has a visible match and returns its first match's text (shadow roots included). */
export async function textOf(locator: Locator): Promise<string> {
  await locator.first().waitFor({ state: "visible" });
  return locator.first().evaluate(deepText);
}

/** The texts of every match of `locator` (shadow roots included) once at least one is visible. */
export async function textsOf(locator: Locator): Promise<string[]> {
  await locator.first().waitFor({ state: "visible" });
  // deepText travels as source: a function argument of evaluateAll cannot close over it.
  return locator.evaluateAll(
    (els, src) => els.map(new Function(`return ${src}`)() as (e: Element) => string),
    deepText.toString(),
  );
}

/**
 * An assertion on a locator's text that retries until it holds (data lands asynchronously: a run's id shows before its
 * name arrives): `await see(locator).toContain("…")`.
 */
export function see(locator: Locator) {
  return expect.poll(() => textOf(locator), { timeout: 15_000, interval: 100 });
}

/** The same for the texts of every match. */
export function seeAll(locator: Locator) {
  return expect.poll(() => textsOf(locator), { timeout: 15_000, interval: 100 });
}
