import { describe, expect, it } from "vitest";
import { pythonRegex } from "./python-regex.js";

describe("pythonRegex", () => {
  it("searches like re.search, with Python's syntax", () => {
    expect(pythonRegex("^mlflow-artifacts:/.*$").test("mlflow-artifacts:/1/abc/artifacts/model")).toBe(true);
    expect(pythonRegex("^mlflow-artifacts:/.*$").test("s3://path/to/model")).toBe(false);
    expect(pythonRegex("bucket").test("s3://my-bucket/x")).toBe(true);
    expect(pythonRegex("(?i)^S3://").test("s3://x")).toBe(true);
    expect(pythonRegex("(?P<b>a)(?P=b)").test("xaay")).toBe(true);
    expect(pythonRegex("\\As3://trusted\\Z").test("s3://trusted")).toBe(true);
    expect(pythonRegex("\\As3://trusted\\Z").test("s3://trusted\n")).toBe(false);
  });

  it("throws on a pattern it cannot take", () => {
    expect(() => pythonRegex("(")).toThrow();
    expect(() => pythonRegex("(?x) a b")).toThrow();
  });
});
