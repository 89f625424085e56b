import { describe, expect, it } from "vitest";
import { serverBase } from "./server-base.js";

describe("serverBase", () => {
  it("is the origin plus the page's folder (the server's --static-prefix)", () => {
    const origin = "http://127.0.0.1:5000";
    expect(serverBase({ origin, pathname: "/" })).toBe(origin);
    expect(serverBase({ origin, pathname: "/index.html" })).toBe(origin);
    expect(serverBase({ origin, pathname: "/team/mlflow/" })).toBe(`${origin}/team/mlflow`);
    expect(serverBase({ origin, pathname: "/team/mlflow/index.html" })).toBe(`${origin}/team/mlflow`);
  });
});
