import { describe, expect, it } from "vitest";
import { groupLoggedImages, imageAtStep, isImagePath, parseImageName, stepsOf } from "./logged-images.js";

// File names as MLflow 3.17.2's `log_image(key=…, step=…)` writes them (see the e2e seed, which logs real ones).
const U = "0b5f3c1e-6f7a-4d0e-9a51-2f2b8e0c9d11";
const full = (key: string, step: number, ts = 1_700_000_000_000 + step, uuid = U) =>
  `images/${key}+step+${step}+timestamp+${ts}+${uuid}.png`;
const thumb = (key: string, step: number, ts = 1_700_000_000_000 + step, uuid = U) =>
  `images/${key}+step+${step}+timestamp+${ts}+${uuid}+compressed.webp`;

describe("parseImageName", () => {
  it("reads key, step and time of the full image and of its thumbnail, which share a file key", () => {
    const a = parseImageName(full("val~pred", 3, 1700000000123));
    const b = parseImageName(thumb("val~pred", 3, 1700000000123));
    expect(a).toEqual({
      key: "val/pred",
      step: 3,
      timestamp: 1700000000123,
      fileKey: `val~pred+step+3+timestamp+1700000000123+${U}`,
      extension: "png",
      compressed: false,
    });
    expect(b).toMatchObject({ key: "val/pred", step: 3, extension: "webp", compressed: true, fileKey: a?.fileKey });
  });

  it("reads the older `%` separators and `#` for a slash", () => {
    expect(parseImageName(`images/a#b%step%12%timestamp%5%${U}%compressed.webp`)).toMatchObject({
      key: "a/b",
      step: 12,
      timestamp: 5,
      compressed: true,
      fileKey: `a#b%step%12%timestamp%5%${U}`,
    });
  });

  it("keeps spaces, dots and dashes of a key", () => {
    expect(parseImageName(full("my key-1.v2", 0))?.key).toBe("my key-1.v2");
  });

  it("refuses what is not a logged image", () => {
    expect(parseImageName("images/plain.png")).toBeUndefined();
    expect(parseImageName("other/k+step+1+timestamp+2+u.png")).toBeUndefined();
    expect(parseImageName("images/sub/k+step+1+timestamp+2+u.png")).toBeUndefined();
    expect(parseImageName("images/k+step+x+timestamp+2+u.png")).toBeUndefined();
    expect(parseImageName("images/k+stop+1+timestamp+2+u.png")).toBeUndefined();
  });
});

describe("groupLoggedImages", () => {
  it("pairs each image with its thumbnail, groups by key and sorts by step", () => {
    const g = groupLoggedImages([
      thumb("b", 2, 10, "u2"),
      full("a", 1, 5, "u1"),
      full("b", 2, 10, "u2"),
      thumb("a", 1, 5, "u1"),
      full("b", 0, 1, "u3"),
      "images/notes.txt",
    ]);
    expect([...g.keys()]).toEqual(["a", "b"]);
    expect(g.get("b")?.map((i) => i.step)).toEqual([0, 2]);
    expect(g.get("b")?.[1]).toEqual({
      key: "b",
      step: 2,
      timestamp: 10,
      path: full("b", 2, 10, "u2"),
      thumbnail: thumb("b", 2, 10, "u2"),
    });
    expect(g.get("b")?.[0]?.thumbnail).toBeUndefined();
  });
});

describe("imageAtStep and stepsOf", () => {
  const g = groupLoggedImages([full("k", 0, 1, "a"), full("k", 5, 2, "b"), full("k", 5, 3, "c"), full("k", 9, 4, "d")]);
  const list = g.get("k");
  it("takes the image at the step (the last logged there), else the last one before it", () => {
    expect(imageAtStep(list, 5)?.timestamp).toBe(3);
    expect(imageAtStep(list, 7)?.step).toBe(5);
    expect(imageAtStep(list, 100)?.step).toBe(9);
    expect(imageAtStep(list, -1)).toBeUndefined();
    expect(imageAtStep(undefined, 3)).toBeUndefined();
  });
  it("lists the distinct steps of several runs", () => {
    const other = groupLoggedImages([full("k", 3, 1, "x"), full("k", 5, 1, "y")]).get("k");
    expect(stepsOf([list, other, undefined])).toEqual([0, 3, 5, 9]);
  });
});

describe("isImagePath", () => {
  it("knows the browser's image types, case-blind, and not directories with dots", () => {
    expect(isImagePath("plots/confusion.PNG")).toBe(true);
    expect(isImagePath("a.jpeg")).toBe(true);
    expect(isImagePath("model/MLmodel")).toBe(false);
    expect(isImagePath("data.csv")).toBe(false);
    expect(isImagePath("v1.png/readme")).toBe(false);
  });
});
