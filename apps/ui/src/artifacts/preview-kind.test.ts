import { describe, expect, it } from "vitest";
import { extension, isModelDir, looksBinary, PREVIEW_LIMIT, planPreview, previewKind } from "./preview-kind.js";

describe("previewKind", () => {
  it.each([
    ["plots/loss.png", "image"],
    ["a/b/photo.JPG", "image"],
    ["diagram.svg", "image"],
    ["notes.txt", "text"],
    ["train.log", "text"],
    ["train.py", "text"],
    ["README.md", "text"],
    ["metrics.json", "json"],
    ["config.yaml", "yaml"],
    ["conda.yml", "yaml"],
    ["model/MLmodel", "mlmodel"],
    ["MLproject", "yaml"],
    ["data.csv", "csv"],
    ["data.tsv", "tsv"],
    ["report.html", "html"],
    ["model.pkl", "unknown"],
    ["weights", "unknown"],
    [".hidden", "unknown"],
  ])("%s is %s", (path, kind) => {
    expect(previewKind(path)).toBe(kind);
  });

  it("reads the extension of the last segment only", () => {
    expect(extension("dir.v2/file")).toBe("");
    expect(extension("dir/archive.tar.gz")).toBe("gz");
  });
});

describe("planPreview", () => {
  it("reads small text files whole", () => {
    expect(planPreview("a.txt", 1000)).toEqual({ kind: "text", partial: false, tooLarge: false });
    expect(planPreview("a.txt", PREVIEW_LIMIT)).toEqual({ kind: "text", partial: false, tooLarge: false });
  });

  it("reads large text files from their first bytes", () => {
    expect(planPreview("big.log", 12 * 1024 * 1024)).toEqual({ kind: "text", partial: true, tooLarge: false });
    expect(planPreview("big.csv", PREVIEW_LIMIT + 1).partial).toBe(true);
  });

  it("shows a cut JSON file as plain text since it cannot be parsed", () => {
    expect(planPreview("big.json", 2 * PREVIEW_LIMIT)).toEqual({ kind: "text", partial: true, tooLarge: false });
  });

  it("never reads images partially, and refuses huge ones", () => {
    expect(planPreview("a.png", 5 * 1024 * 1024)).toEqual({ kind: "image", partial: false, tooLarge: false });
    expect(planPreview("a.png", 50 * 1024 * 1024).tooLarge).toBe(true);
  });

  it("treats an unknown size as small", () => {
    expect(planPreview("a.json", undefined).partial).toBe(false);
  });
});

describe("isModelDir", () => {
  it("is true when the listing has an MLmodel file", () => {
    expect(isModelDir([{ path: "model/MLmodel", is_dir: false }])).toBe(true);
    expect(isModelDir([{ path: "model/MLmodel", is_dir: true }])).toBe(false);
    expect(isModelDir([{ path: "model/model.pkl", is_dir: false }])).toBe(false);
  });
});

describe("looksBinary", () => {
  it("tells text from binary", () => {
    expect(looksBinary(new TextEncoder().encode("hello\nworld\t1\r\n"))).toBe(false);
    expect(looksBinary(new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0, 1, 2]))).toBe(true);
    expect(looksBinary(new Uint8Array())).toBe(false);
  });
});
