import { expect, test } from "vitest";
import type { Seed } from "./context.js";
import { e2eSuite, see, seeAll, seed, textsOf } from "./harness.js";

/** What seed.py's seed_prompts() printed (prompts registered with mlflow.genai, in experiment "prompts-ui"). */
interface PromptsUiSeed {
  experiment: string;
  qa: { name: string; versions: number[]; v1: string; v2: string; v3: string };
  chat: { name: string; versions: number[] };
}
const s = (seed as Seed & { prompts_ui: PromptsUiSeed }).prompts_ui;

e2eSuite("prompts", (ui) => {
  const listNames = () => textsOf(ui.page.locator("tl-prompts-page tbody tr td:first-child"));

  test("prompts list: nav link, versions, aliases, tags, commit message; search; experiment scope", async () => {
    await ui.goto("/experiments");
    const page = ui.page;
    await page.locator("tl-app header nav").getByRole("link", { name: "Prompts" }).click();
    await expect.poll(() => ui.route()).toBe("/prompts");
    await see(page.locator("tl-prompts-page h1")).toBe("Prompts");
    await see(page.locator('tl-app header nav a[aria-current="page"]')).toBe("Prompts");
    const table = page.locator("tl-prompts-page table");
    await seeAll(table.locator("thead th")).toEqual([
      "Name",
      "Latest version",
      "Aliases",
      "Tags",
      "Last modified",
      "Commit message",
    ]);
    const qa = table.locator("tbody tr", { has: page.getByRole("link", { name: s.qa.name, exact: true }) });
    await see(qa).toContain("Version 3");
    await see(qa).toContain("@production: v2");
    await see(qa).toContain("@staging: v1");
    await see(qa).toContain("task: qa");
    await see(qa).toContain("Friendlier");
    // Every prompt of the registry (the one of the main seed too), newest change first; no registered model.
    await expect
      .poll(async () => (await listNames()).sort())
      .toEqual(["qa-answer", "summarize-prompt", "support-chat"]);
    await ui.shot("prompts-list");

    await page.getByRole("searchbox", { name: "Search prompts by name" }).fill("chat");
    await expect.poll(() => ui.query().get("q")).toBe("chat");
    await expect.poll(listNames).toEqual(["support-chat"]);

    // MLflow's experiment-scoped list (the experiment's Prompts tab): only the prompts registered while that
    // experiment was active.
    await ui.goto(`/experiments/${s.experiment}`);
    await page.getByRole("tab", { name: "Prompts", exact: true }).click();
    await expect.poll(() => ui.route()).toBe(`/experiments/${s.experiment}/prompts`);
    await expect.poll(async () => (await listNames()).sort()).toEqual(["qa-answer", "support-chat"]);
    await page.getByRole("link", { name: s.chat.name, exact: true }).click();
    await expect.poll(() => ui.route()).toBe(`/experiments/${s.experiment}/prompts/${s.chat.name}`);
    await see(page.locator("tl-prompt-page h1")).toBe(s.chat.name);

    // An experiment without prompts says how to register one there.
    const vision = seed.experiments["team/vision"];
    await ui.goto(`/experiments/${vision}/prompts`);
    const empty = page.locator("tl-prompts-page .empty");
    await see(empty).toContain("No prompts in this experiment yet");
    await see(empty.locator("pre")).toContain(`mlflow.set_experiment(experiment_id="${vision}")`);
    await see(page.locator("tl-prompts-page .crumbs")).toBe("team/vision › All prompts");
  });

  test("the old Models-page Prompts link opens the Prompts page with its search, and a prompt its page", async () => {
    await ui.goto("/models?tab=prompts&q=qa");
    await expect.poll(() => ui.route()).toBe("/prompts?q=qa");
    await ui.page.locator("tl-prompts-page").getByRole("link", { name: s.qa.name, exact: true }).click();
    await expect.poll(() => ui.route()).toBe(`/prompts/${s.qa.name}`);
    await see(ui.page.locator("tl-prompt-page h1")).toBe(s.qa.name);
  });

  test("an unknown prompt shows the server's error", async () => {
    await ui.goto("/prompts/no-such-prompt");
    await see(ui.page.locator("tl-prompt-page tl-error")).toContain("RESOURCE_DOES_NOT_EXIST");
  });

  test("prompt page: versions, the template with its variables, aliases, tags, commit message", async () => {
    await ui.goto(`/prompts/${s.qa.name}`);
    const page = ui.page;
    const main = page.locator("tl-prompt-page");
    await see(main.locator("h1")).toBe(s.qa.name);
    await see(main.locator(".meta")).toContain("task: qa");
    await see(main.locator(".meta .experiments")).toBe("Experiments: prompts-ui");
    await seeAll(main.locator(".versions tbody tr")).toEqual([
      expect.stringMatching(/^Version 3 Friendlier /),
      expect.stringMatching(/^Version 2 @production Ground answers in the context /),
      expect.stringMatching(/^Version 1 @staging First draft /),
    ]);
    // The newest version is shown first.
    await see(main.locator(".panel-head h2")).toBe("Version 3");
    await expect.poll(() => main.locator("tl-prompt-template pre").textContent()).toBe(s.qa.v3);

    // A version named in the URL (MLflow's promptVersion): its template exactly as registered, variables marked.
    await ui.goto(`/prompts/${s.qa.name}?promptVersion=2`);
    await see(main.locator(".panel-head h2")).toBe("Version 2");
    await see(main.locator(".panel-head")).toContain("@production");
    await expect.poll(() => main.locator("tl-prompt-template pre").textContent()).toBe(s.qa.v2);
    await seeAll(main.locator("tl-prompt-template .var")).toEqual(["{{ context }}", "{{question}}"]);
    await seeAll(main.locator(".variables .chip")).toEqual(["context", "question"]);
    await see(main.locator("dd.commit")).toBe("Ground answers in the context");
    await seeAll(main.locator(".tags .chip")).toEqual(["author: ana"]);
    await see(main.locator("dl")).toContain("prompts:/qa-answer/2");
    await ui.shot("prompt-page");

    await main.getByRole("link", { name: "Version 1", exact: true }).click();
    await expect.poll(() => ui.query().get("promptVersion")).toBe("1");
    await see(main.locator(".panel-head h2")).toBe("Version 1");
    await expect.poll(() => main.locator("tl-prompt-template pre").textContent()).toBe(s.qa.v1);
    await seeAll(main.locator(".variables .chip")).toEqual(["question"]);
    await see(main.locator("dd.commit")).toBe("First draft");
    await see(main.locator(".versions tr[aria-selected=true]")).toContain("Version 1");

    // The keyboard walks the versions: ↑ from version 1 selects version 2.
    await page.keyboard.press("ArrowUp");
    await expect.poll(() => ui.query().get("promptVersion")).toBe("2");
    await see(main.locator(".panel-head h2")).toBe("Version 2");
    await see(main.locator(".versions tr[aria-selected=true]")).toContain("Version 2");
  });

  test("chat prompt: one block per message under its role, variables of all messages, model config", async () => {
    await ui.goto(`/experiments/${s.experiment}/prompts/${s.chat.name}`);
    const main = ui.page.locator("tl-prompt-page");
    await see(main.locator(".crumbs")).toBe("prompts-ui › Prompts ›");
    await seeAll(main.locator("tl-prompt-template .role")).toEqual(["SYSTEM", "USER"]);
    await seeAll(main.locator("tl-prompt-template .message pre")).toEqual([
      "You help customers of {{ product }}. Reply in {{ language }}.",
      "{{ question }}",
    ]);
    await seeAll(main.locator(".variables .chip")).toEqual(["product", "language", "question"]);
    await see(main.locator("dl")).toContain("Chat (messages)");
    await seeAll(main.locator("table.kv tr")).toEqual(["model_name gpt-4o-mini", "temperature 0.2"]);
    await see(main.locator(".versions tr[aria-selected=true]")).toContain("@champion");
    await ui.shot("prompt-chat");
  });

  test("diff of two versions: lines and words added and removed, variables, swap, any pair", async () => {
    await ui.goto(`/prompts/${s.qa.name}?promptVersion=2`);
    const page = ui.page;
    const main = page.locator("tl-prompt-page");
    await main.getByRole("button", { name: "Compare" }).click();
    await expect.poll(() => ui.query().get("mode")).toBe("compare");
    expect(ui.query().get("comparedVersion")).toBe("1");
    const diff = main.locator("tl-prompt-diff");
    await seeAll(diff.locator("thead th")).toEqual(["Version 1", "Version 2"]);
    await see(diff.locator(".summary")).toBe("+4 lines −2 lines Variables: + context");
    // Word level: a changed line marks only its changed words; whole new lines are marked whole.
    await seeAll(diff.locator("ins")).toEqual([
      "You are a careful assistant.",
      "using only the context",
      "Context: {{ context }}",
      "cite the context",
    ]);
    await seeAll(diff.locator("del")).toEqual(["polite"]);
    await seeAll(diff.locator("tbody tr.change")).toEqual([
      "1 Answer the question below. 2 Answer the question below using only the context.",
      "3 Be brief and polite. 5 Be brief and cite the context.",
    ]);
    await see(diff.locator("tbody tr.equal")).toBe("2 Question: {{question}} 4 Question: {{question}}");
    await see(main.locator(".versions tr.compared")).toContain("Version 1");
    await ui.shot("prompt-diff");

    await main.getByRole("button", { name: /Swap/ }).click();
    await expect.poll(() => ui.query().get("promptVersion")).toBe("1");
    expect(ui.query().get("comparedVersion")).toBe("2");
    await seeAll(diff.locator("thead th")).toEqual(["Version 2", "Version 1"]);
    await see(diff.locator(".summary")).toBe("+2 lines −4 lines Variables: − context");
    await seeAll(diff.locator("del")).toEqual([
      "You are a careful assistant.",
      "using only the context",
      "Context: {{ context }}",
      "cite the context",
    ]);

    // Any pair: the right side picks version 3 (the left stays 2), then the left side picks version 1.
    await main.getByRole("combobox", { name: "Compared version" }).selectOption("3");
    await expect.poll(() => ui.query().get("promptVersion")).toBe("3");
    expect(ui.query().get("comparedVersion")).toBe("2");
    await seeAll(diff.locator("thead th")).toEqual(["Version 2", "Version 3"]);
    await see(diff.locator(".summary")).toBe("+1 line −1 line");
    await seeAll(diff.locator("ins")).toEqual([", friendly"]);
    await main.getByRole("combobox", { name: "Base version" }).selectOption("1");
    await expect.poll(() => ui.query().get("comparedVersion")).toBe("1");
    await seeAll(diff.locator("thead th")).toEqual(["Version 1", "Version 3"]);
    await see(diff.locator(".summary")).toBe("+4 lines −2 lines Variables: + context");

    // A chat prompt's messages are compared role by role, from a shared link.
    await ui.goto(`/prompts/${s.chat.name}?mode=compare`);
    const chatDiff = ui.page.locator("tl-prompt-page tl-prompt-diff");
    await see(chatDiff.locator(".summary")).toBe("+1 line −1 line Variables: + language");
    await seeAll(chatDiff.locator("ins")).toEqual(["Reply in {{ language }}."]);
    await see(chatDiff.locator("tbody tr.equal").first()).toBe("1 [system] 1 [system]");
    // The model settings side by side: version 2 added a model config.
    await seeAll(ui.page.locator("tl-prompt-compare table.settings tbody tr.changed")).toEqual([
      "model_name — gpt-4o-mini",
      "temperature — 0.2",
    ]);
    await ui.shot("prompt-diff-chat");

    // A shared link holds the whole comparison; the dark theme keeps the marks readable.
    await ui.newContext({ colorScheme: "dark" });
    await ui.goto(`/prompts/${s.qa.name}?promptVersion=2&mode=compare&comparedVersion=1`);
    const dark = ui.page.locator("tl-prompt-page tl-prompt-diff");
    await see(dark.locator(".summary")).toBe("+4 lines −2 lines Variables: + context");
    await seeAll(dark.locator("del")).toEqual(["polite"]);
    await ui.shot("prompt-diff-dark");
    await ui.newContext();
  });
});
