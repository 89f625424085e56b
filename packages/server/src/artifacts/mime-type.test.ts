import { describe, expect, it } from "vitest";
import { guessMimeType, pythonGuessType } from "./mime-type.js";

/** Each name with the Content-Type the reference (MLflow 3.17.2 on CPython 3.11) served it with. */
const REFERENCE: [string, string][] = [
  ["MLmodel", "text/plain"],
  ["model/MLmodel", "text/plain"],
  ["MLproject", "text/plain"],
  ["mlmodel", "application/octet-stream"],
  ["txt", "text/plain"],
  ["conda.yaml", "text/plain"],
  ["python_env.yaml", "text/plain"],
  ["requirements.txt", "text/plain"],
  ["metrics.json", "text/plain"],
  ["x.JSON", "application/json"],
  ["x.TXT", "text/plain"],
  ["train.py", "text/plain"],
  ["x.Py", "text/x-python"],
  ["notebook.ipynb", "text/plain"],
  ["data.csv", "text/plain"],
  ["app.js", "text/plain"],
  ["app.mjs", "application/javascript"],
  ["page.html", "text/html"],
  ["plot.png", "image/png"],
  ["plot.svg", "image/svg+xml"],
  ["model.pkl", "application/octet-stream"],
  ["data.parquet", "application/octet-stream"],
  ["weights.h5", "application/x-hdf5"],
  ["model.tar.gz", "application/x-tar"],
  ["model.tgz", "application/x-tar"],
  ["x.gz", "application/octet-stream"],
  [".bashrc", "application/octet-stream"],
  ["..txt", "application/octet-stream"],
  ["x.", "application/octet-stream"],
  ["x.c", "text/plain"],
  ["x.xml", "text/plain"],
  ["sound.wav", "audio/x-wav"],
];

describe("guessMimeType", () => {
  it.each(REFERENCE)("%s is served as %s", (name, type) => {
    expect(guessMimeType(name)).toBe(type);
  });

  it("reads only the last path segment", () => {
    expect(guessMimeType("a.txt/MLmodel")).toBe("text/plain");
    expect(guessMimeType("dir.png/blob")).toBe("application/octet-stream");
  });
});

describe("pythonGuessType", () => {
  it("is Python's guess without MLflow's text list (the type S3 uploads are stored with)", () => {
    expect(pythonGuessType("model.pkl")).toBeUndefined();
    expect(pythonGuessType("metrics.json")).toBe("application/json");
    expect(pythonGuessType("MLmodel")).toBeUndefined();
    expect(pythonGuessType("x.svgz")).toBe("image/svg+xml");
  });
});
