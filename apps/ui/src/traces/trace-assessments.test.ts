// @vitest-environment happy-dom
import type { Assessment } from "@tracklite/schemas";
import { afterEach, describe, expect, it, vi } from "vitest";
import { mount, shadowText } from "../dom.test-helpers.js";
import { fakeServer, until } from "./fake-server.test-helpers.js";
import okTrace from "./fixtures/get-trace-ok.json" with { type: "json" };
import { parseAssessmentValue, type TlTraceAssessments } from "./trace-assessments.js";

const TRACE = okTrace.trace.trace_info.trace_id;
const [feedback, expectation] = okTrace.trace.trace_info.assessments as Assessment[];
const BASE = `/3.0/mlflow/traces/${TRACE}/assessments`;

afterEach(() => {
  document.body.innerHTML = "";
  vi.unstubAllGlobals();
});

async function setup() {
  // The answers MLflow 3.17.2 gave to the same calls (POST, PATCH: the assessment; DELETE: {}).
  const seen = fakeServer((r) => {
    if (r.method === "POST" && r.path === BASE) {
      const a = (r.body?.assessment ?? {}) as Assessment;
      return {
        json: { assessment: { ...a, assessment_id: "a-new", create_time: "2026-12-06T07:40:00.000Z", valid: true } },
      };
    }
    if (r.method === "PATCH" && r.path.startsWith(`${BASE}/`)) {
      const a = (r.body?.assessment ?? {}) as Assessment;
      const old = [feedback, expectation].find((x) => x?.assessment_id === a.assessment_id);
      return { json: { assessment: { ...old, ...a } } };
    }
    if (r.method === "DELETE" && r.path.startsWith(`${BASE}/`)) return { json: {} };
    return undefined;
  });
  const el = await mount<TlTraceAssessments>("tl-trace-assessments", {
    traceId: TRACE,
    assessments: [feedback, expectation],
  });
  const changes: Assessment[][] = [];
  el.addEventListener("assessments-change", (e) => {
    changes.push((e as CustomEvent<Assessment[]>).detail);
    el.assessments = (e as CustomEvent<Assessment[]>).detail;
  });
  return { el, seen, changes };
}

const root = (el: TlTraceAssessments) => el.shadowRoot as ShadowRoot;
const button = (el: TlTraceAssessments, label: string) =>
  [...root(el).querySelectorAll("button")].find(
    (b) => (b.getAttribute("aria-label") ?? b.textContent?.trim()) === label,
  );

function fill(form: HTMLFormElement, values: Record<string, string>) {
  for (const [name, v] of Object.entries(values)) {
    const input = form.querySelector(`[name="${name}"]`) as HTMLInputElement | HTMLSelectElement;
    input.value = v;
  }
  form.requestSubmit();
}

describe("trace assessments", () => {
  it("parses typed values as JSON when they are JSON", () => {
    expect(parseAssessmentValue("true")).toBe(true);
    expect(parseAssessmentValue(" 0.8 ")).toBe(0.8);
    expect(parseAssessmentValue('{"a": 1}')).toEqual({ a: 1 });
    expect(parseAssessmentValue("Paris")).toBe("Paris");
  });

  it("adds feedback with POST traces/{id}/assessments", async () => {
    const { el, seen, changes } = await setup();
    button(el, "Add assessment")?.click();
    await el.updateComplete;
    fill(root(el).querySelector('form[aria-label="Add assessment"]') as HTMLFormElement, {
      kind: "feedback",
      name: "helpful",
      value: "0.9",
      rationale: "clear",
    });
    await until(() => changes.length === 1);
    expect(seen[0]).toMatchObject({ method: "POST", path: BASE });
    expect(seen[0]?.body).toEqual({
      assessment: {
        assessment_name: "helpful",
        source: { source_type: "HUMAN", source_id: "tracklite-ui" },
        feedback: { value: 0.9 },
        rationale: "clear",
        trace_id: TRACE,
      },
    });
    await el.updateComplete;
    expect(shadowText(el)).toContain("helpful 0.9");
  });

  it("edits with PATCH and an update mask, deletes after a confirming second click", async () => {
    const { el, seen, changes } = await setup();
    button(el, "Edit expected_answer")?.click();
    await el.updateComplete;
    fill(root(el).querySelector('form[aria-label="Edit expected_answer"]') as HTMLFormElement, {
      value: "Paris, France",
    });
    await until(() => changes.length === 1);
    expect(seen[0]).toMatchObject({ method: "PATCH", path: `${BASE}/${expectation?.assessment_id}` });
    expect(seen[0]?.body).toEqual({
      assessment: {
        expectation: { value: "Paris, France" },
        trace_id: TRACE,
        assessment_id: expectation?.assessment_id,
      },
      update_mask: "expectation",
    });
    await el.updateComplete;
    expect(shadowText(el)).toContain("expected_answer Paris, France");

    button(el, "Delete correct")?.click();
    await el.updateComplete;
    expect(seen.length).toBe(1);
    button(el, "Confirm delete correct")?.click();
    await until(() => changes.length === 2);
    expect(seen[1]).toMatchObject({ method: "DELETE", path: `${BASE}/${feedback?.assessment_id}` });
    await el.updateComplete;
    expect(shadowText(el)).not.toContain("correct true");
  });
});
