import { describe, expect, it } from "vitest";
import { joinArtifactPath, safeArtifactPath } from "./safe-path.js";

/** Payloads from MLflow's published path-traversal and local-file-inclusion advisories, and their variants. */
const TRAVERSALS = [
  "../etc/passwd",
  "a/../../etc/passwd",
  "..%2fetc%2fpasswd",
  "%2e%2e/%2e%2e/etc/passwd",
  "%2e%2e%2f%2e%2e%2fetc%2fpasswd",
  "%252e%252e%252fetc%252fpasswd",
  "%25252e%25252e%25252f",
  "/etc/passwd",
  "%2fetc%2fpasswd",
  "//etc/passwd",
  "file:///etc/passwd",
  "C:/Windows/win.ini",
  "..\\..\\etc\\passwd",
  "a\\..\\..\\b",
  "x#/../../etc/passwd",
  "x%23/../../etc/passwd",
  "a/b%00.txt",
  "a/b\u0000.txt",
  "a/\nb",
];

describe("safeArtifactPath", () => {
  it.each(TRAVERSALS)("refuses %j", (payload) => {
    expect(() => safeArtifactPath(payload)).toThrow("Invalid path");
  });

  it.each([
    ["", ""],
    ["model/MLmodel", "model/MLmodel"],
    ["a//b/./c/", "a/b/c"],
    ["0/abc/artifacts/plots/loss%20curve.png", "0/abc/artifacts/plots/loss curve.png"],
    ["名前/ファイル.txt", "名前/ファイル.txt"],
    ["..a/b..", "..a/b.."],
  ])("accepts %j as %j", (input, expected) => {
    expect(safeArtifactPath(input)).toBe(expected);
  });

  it("joins with single slashes", () => {
    expect(joinArtifactPath("0/r/artifacts", "", "m/x")).toBe("0/r/artifacts/m/x");
    expect(joinArtifactPath("0/r/artifacts", undefined)).toBe("0/r/artifacts");
  });
});
