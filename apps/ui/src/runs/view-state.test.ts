import { describe, expect, it } from "vitest";
import {
  defaultViewState,
  orderByClause,
  parseViewState,
  quoteKey,
  serializeViewState,
  type ViewState,
} from "./view-state.js";

const roundTrip = (s: ViewState) => parseViewState(new URLSearchParams(serializeViewState(s).toString()));

describe("view state", () => {
  it("writes nothing for the default view and reads the default from an empty query", () => {
    expect(serializeViewState(defaultViewState()).toString()).toBe("");
    expect(parseViewState(new URLSearchParams())).toEqual(defaultViewState());
  });

  it("round-trips a full view", () => {
    const s: ViewState = {
      tab: "charts",
      filter: "metrics.`val loss` < 0.5 and params.lr = '0.01'",
      sort: { key: "metrics.val/loss", asc: true },
      lifecycle: "all",
      columns: [
        { kind: "metrics", key: "val/loss", mode: "min" },
        { kind: "metrics", key: "acc:max" },
        { kind: "params", key: "lr" },
        { kind: "tags", key: "mlflow.note.content" },
      ],
      metricMode: "max",
      pinned: ["a1", "b2"],
      hidden: ["c3"],
      selected: ["a1", "d4"],
      expanded: ["p0"],
      beside: true,
      pageSize: 1000,
      chart: { x: "relative", log: true, smoothing: 0.6 },
      traces: { filter: "trace.status = 'ERROR'", orderBy: "execution_time_ms DESC" },
    };
    expect(roundTrip(s)).toEqual(s);
  });

  it("keeps an explicit empty column choice apart from the default", () => {
    const s = { ...defaultViewState(), columns: [] };
    expect(serializeViewState(s).getAll("col")).toEqual(["-"]);
    expect(roundTrip(s).columns).toEqual([]);
    expect(defaultViewState().columns).toBeUndefined();
  });

  it("omits each default value separately", () => {
    const s = { ...defaultViewState(), lifecycle: "deleted" as const };
    expect(serializeViewState(s).toString()).toBe("view=deleted");
    const sorted = { ...defaultViewState(), sort: { key: "attributes.start_time", asc: true } };
    expect(serializeViewState(sorted).toString()).toBe("sort=attributes.start_time%7Easc");
  });

  it("ignores bad values", () => {
    const q = new URLSearchParams(
      "tab=nope&view=gone&mm=avg&ps=50&sort=attributes.bogus~asc&col=weird.x&col=metrics.loss~median&col=params.&pin=ok1,bad id,ok1&beside=yes",
    );
    const s = parseViewState(q);
    expect(s.tab).toBe("runs");
    expect(s.lifecycle).toBe("active");
    expect(s.metricMode).toBe("last");
    expect(s.pageSize).toBe(100);
    expect(s.sort).toEqual({ key: "attributes.start_time", asc: false });
    // `~median` is not a mode, so it stays part of the key; the other two are not columns at all.
    expect(s.columns).toEqual([{ kind: "metrics", key: "loss~median" }]);
    expect(s.pinned).toEqual(["ok1"]);
    expect(s.beside).toBe(false);
  });

  it("drops a metric mode on a non-metric column and duplicate columns", () => {
    const s = parseViewState(new URLSearchParams("col=params.lr~min&col=params.lr&col=metrics.a~max"));
    expect(s.columns).toEqual([
      { kind: "params", key: "lr" },
      { kind: "metrics", key: "a", mode: "max" },
    ]);
  });

  it("reads a sort without direction as descending", () => {
    expect(parseViewState(new URLSearchParams("sort=params.lr")).sort).toEqual({ key: "params.lr", asc: false });
  });
});

describe("order_by", () => {
  it("quotes keys that are not plain identifiers", () => {
    expect(quoteKey("loss")).toBe("loss");
    expect(quoteKey("val/loss")).toBe("`val/loss`");
    expect(quoteKey("my key")).toBe("`my key`");
    expect(quoteKey("1x")).toBe("`1x`");
  });

  it("builds MLflow order_by clauses", () => {
    expect(orderByClause({ key: "attributes.start_time", asc: false })).toBe("attributes.start_time DESC");
    expect(orderByClause({ key: "metrics.loss", asc: true })).toBe("metrics.loss ASC");
    expect(orderByClause({ key: "params.a.b", asc: true })).toBe("params.`a.b` ASC");
    expect(orderByClause({ key: "tags.mlflow.source.name", asc: false })).toBe("tags.`mlflow.source.name` DESC");
  });
});
