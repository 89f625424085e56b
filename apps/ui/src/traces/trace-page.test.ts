// @vitest-environment happy-dom
import { afterEach, describe, expect, it, vi } from "vitest";
import { mount, shadowText } from "../dom.test-helpers.js";
import { bigTrace } from "./big-trace.test-helpers.js";
import { fakeServer, until } from "./fake-server.test-helpers.js";
import errTrace from "./fixtures/get-trace-error.json" with { type: "json" };
import okTrace from "./fixtures/get-trace-ok.json" with { type: "json" };
import artifact from "./fixtures/trace-artifact.json" with { type: "json" };
import artifactInfo from "./fixtures/trace-info-artifact.json" with { type: "json" };
import type { TlSpanDetail } from "./span-detail.js";
import type { TlSpanTree } from "./span-tree-view.js";
import type { TlTraceAssessments } from "./trace-assessments.js";
import "./trace-page.js";
import type { TlTracePage } from "./trace-page.js";

const OK_ID = okTrace.trace.trace_info.trace_id;
const ERR_ID = errTrace.trace.trace_info.trace_id;
const ART_ID = artifactInfo.trace.trace_info.trace_id;
const experiment = { experiment: { experiment_id: "1", name: "traces-demo", lifecycle_stage: "active", tags: [] } };

function serveTraces(extra?: Parameters<typeof fakeServer>[0]) {
  return fakeServer((r) => {
    const hit = extra?.(r);
    if (hit) return hit;
    if (r.path === "/2.0/mlflow/experiments/get") return { json: experiment };
    if (r.path === `/3.0/mlflow/traces/${ART_ID}`) return { json: artifactInfo };
    if (r.path === "/2.0/mlflow/get-trace-artifact" && r.query.get("request_id") === ART_ID) return { json: artifact };
    if (r.path === "/3.0/mlflow/traces/get") {
      const id = r.query.get("trace_id");
      if (id === OK_ID) return { json: okTrace };
      if (id === ERR_ID) return { json: errTrace };
      if (id === ART_ID) {
        // What MLflow 3.17.2 answers when the client uploaded the spans as an artifact.
        return {
          status: 500,
          json: { error_code: "INTERNAL_ERROR", message: "Trace data not stored in tracking store" },
        };
      }
      return { status: 404, json: { error_code: "RESOURCE_DOES_NOT_EXIST", message: `Trace ${id} not found` } };
    }
    return undefined;
  });
}

const open = (traceId: string, query = "") =>
  mount<TlTracePage>("tl-trace-page", {
    params: { experimentId: "1", traceId },
    query: new URLSearchParams(query),
  });
const tree = (el: TlTracePage) => el.shadowRoot?.querySelector("tl-span-tree") as TlSpanTree | null;
const detail = (el: TlTracePage) => el.shadowRoot?.querySelector("tl-span-detail") as TlSpanDetail;
const treeRows = (el: TlTracePage) => [...(tree(el)?.shadowRoot?.querySelectorAll(".row") ?? [])];

afterEach(() => {
  document.body.innerHTML = "";
  vi.unstubAllGlobals();
  location.hash = "";
});

describe("trace view", () => {
  it("shows the trace's header, assessments, span tree with timeline, and the root span's details", async () => {
    serveTraces();
    const el = await open(OK_ID);
    // The tree can show before the info (spans stream in); both are there in the end.
    await until(
      () => treeRows(el).length === 3 && shadowText(el).includes("traces-demo") && shadowText(el).includes("Tokens"),
    );
    const text = shadowText(el);
    expect(text).toContain("answer");
    expect(text).toContain("324ms");
    expect(text).toContain("Tokens 19");
    expect(text).toContain("Spans 3");
    expect(text).toContain("env: test");
    expect(
      el.shadowRoot?.querySelector('a[href="#/experiments/1/runs/a9edac8e7067490b8176c85efd4071fa"]'),
    ).not.toBeNull();
    const assessments = el.shadowRoot?.querySelector("tl-trace-assessments") as TlTraceAssessments;
    expect(shadowText(assessments)).toContain("correct true");
    expect(shadowText(assessments)).toContain("matches");
    expect(shadowText(assessments)).toContain("expected_answer Paris");
    const names = treeRows(el).map((r) => r.querySelector(".nm")?.textContent);
    expect(names).toEqual(["answer", "retrieve", "llm"]);
    expect(treeRows(el)[0]?.getAttribute("aria-selected")).toBe("true");
    // Waterfall: the root spans the whole axis; the children sit at its end.
    const bars = treeRows(el).map((r) => (r.querySelector(".bar") as HTMLElement).style.left);
    expect(bars[0]).toBe("0%");
    expect(Number.parseFloat(bars[2] ?? "0")).toBeGreaterThan(99);
    await until(() => !!detail(el)?.shadowRoot?.querySelector("tl-json-view"));
    const inputs = detail(el).shadowRoot?.querySelector('section[aria-label="Inputs"] tl-json-view') as Element;
    await until(() => shadowText(inputs).includes("question"));
    expect(shadowText(inputs)).toContain('question: "What is the capital of France?"');
    const outputs = detail(el).shadowRoot?.querySelector('section[aria-label="Outputs"]');
    expect(outputs?.querySelector("pre")?.textContent).toBe("Paris.");
  });

  it("shows a chat model's messages as a conversation, selected from the URL", async () => {
    serveTraces();
    const el = await open(OK_ID, "span=5456790ace78f4b4");
    await until(() => !!detail(el)?.shadowRoot?.querySelector(".chat"));
    const d = detail(el);
    const msgs = [...(d.shadowRoot?.querySelectorAll(".msg") ?? [])].map((m) =>
      m.textContent?.replace(/\s+/g, " ").trim(),
    );
    expect(msgs).toEqual(["system You are terse.", "user What is the capital of France?", "assistant Paris."]);
    expect(shadowText(d)).toContain("mlflow.chat.tokenUsage");
    // Clicking another span writes it into the URL.
    (treeRows(el)[1]?.querySelector(".nm") as HTMLElement | undefined)?.click();
    expect(location.hash).toContain("span=4e669816aed77dcc");
  });

  it("shows an exception event's type, message and stack trace", async () => {
    serveTraces();
    const el = await open(ERR_ID);
    await until(() => shadowText(detail(el) ?? el).includes("Exceptions"));
    const text = shadowText(detail(el));
    expect(text).toContain("ValueError: cannot handle 3");
    expect(text).toContain("Traceback (most recent call last)");
    expect(treeRows(el)[0]?.querySelector(".bar.error")).not.toBeNull();
  });

  it("uses tracklite's span-tree call, and fetches a span's contents when it is opened", async () => {
    const spans = okTrace.trace.spans;
    const hex = (b64: string) => [...atob(b64)].map((c) => c.charCodeAt(0).toString(16).padStart(2, "0")).join("");
    // The shape of GET /ajax-api/2.0/tracklite/traces/span-tree (packages/schemas TraceSpanTree), in span id order.
    const tree = {
      span_ids: spans.map((x) => hex(x.span_id)),
      parent_ids: spans.map((x) => ("parent_span_id" in x && x.parent_span_id ? hex(x.parent_span_id) : null)),
      names: spans.map((x) => x.name),
      // As stored for spans sent over OTLP, JSON-encoded (one of them), or plain.
      types: ['"AGENT"', "RETRIEVER", "CHAT_MODEL"],
      statuses: ["OK", "OK", "OK"],
      start_us: spans.map((x) => Math.floor(x.start_time_unix_nano / 1000)),
      end_us: spans.map((x) => Math.floor(x.end_time_unix_nano / 1000)),
    };
    const seen = serveTraces((r) => {
      if (r.path === "/2.0/tracklite/traces/span-tree") return { json: tree };
      if (r.path === "/2.0/tracklite/traces/spans") {
        return { json: { spans: spans.filter((x) => r.query.getAll("span_ids").includes(hex(x.span_id))) } };
      }
      if (r.path === `/3.0/mlflow/traces/${OK_ID}`)
        return { json: { trace: { trace_info: okTrace.trace.trace_info } } };
      return undefined;
    });
    const el = await open(OK_ID, "span=5456790ace78f4b4");
    await until(() => !!detail(el)?.shadowRoot?.querySelector(".chat"));
    expect(treeRows(el).map((r) => r.querySelector(".nm")?.textContent)).toEqual(["answer", "retrieve", "llm"]);
    expect(treeRows(el).map((r) => r.querySelector(".type")?.textContent)).toEqual([
      "AGENT",
      "RETRIEVER",
      "CHAT_MODEL",
    ]);
    expect(shadowText(el)).toContain("Tokens 19");
    const asked = seen.filter((r) => r.path === "/2.0/tracklite/traces/spans");
    expect(asked.map((r) => r.query.getAll("span_ids"))).toEqual([["5456790ace78f4b4"]]);
    expect(seen.some((r) => r.path === "/3.0/mlflow/traces/get")).toBe(false);
  });

  it("reads spans kept as an artifact (traces.json) when traces/get cannot serve them", async () => {
    serveTraces();
    const el = await open(ART_ID, "span=75acafaee8d72d4e");
    await until(() => treeRows(el).length === 3, 2000);
    expect(treeRows(el).map((r) => r.querySelector(".nm")?.textContent)).toEqual(["answer", "retrieve", "llm"]);
    expect(treeRows(el).map((r) => r.querySelector(".type")?.textContent)).toEqual([
      "AGENT",
      "RETRIEVER",
      "CHAT_MODEL",
    ]);
    await until(() => !!detail(el)?.shadowRoot?.querySelector(".chat"));
    expect(detail(el).shadowRoot?.querySelector(".msg.user")?.textContent).toContain("What is the capital of France?");
  });

  it("shows the server's error for a trace that does not exist", async () => {
    serveTraces();
    const el = await open("tr-missing");
    const error = () => el.shadowRoot?.querySelector("tl-error") as Element | null;
    await until(() => !!error() && shadowText(error() as Element).includes("RESOURCE_DOES_NOT_EXIST"));
    expect(shadowText(error() as Element)).toContain("Trace tr-missing not found");
  });

  // 50,000 spans go through JSON both ways here: generous time on a loaded machine (what is asserted is the DOM).
  it("draws only the rows on screen of a 50,000-span trace, and collapses subtrees", { timeout: 60_000 }, async () => {
    const spans = bigTrace(50_000);
    const info = { ...okTrace.trace.trace_info, trace_id: "tr-big" };
    serveTraces((r) =>
      r.path === "/3.0/mlflow/traces/get" && r.query.get("trace_id") === "tr-big"
        ? { json: { trace: { trace_info: info, spans } } }
        : undefined,
    );
    const el = await open("tr-big");
    await until(() => shadowText(el).includes("Spans 50000"), 10_000);
    expect(shadowText(el)).toContain("Spans 50000");
    const drawn = treeRows(el).length;
    expect(drawn).toBeGreaterThan(0);
    expect(drawn).toBeLessThan(200);
    const t = tree(el) as TlSpanTree;
    const body = t.shadowRoot?.querySelector(".body") as HTMLElement;
    expect(body.style.height).toBe(`${50_000 * 26}px`);
    // Collapse the root: one row left.
    (treeRows(el)[0]?.querySelector(".exp") as HTMLElement | undefined)?.click();
    await t.updateComplete;
    expect(body.style.height).toBe("26px");
    expect(treeRows(el).length).toBe(1);
  });
});
