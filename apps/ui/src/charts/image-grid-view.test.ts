import { describe, expect, it } from "vitest";
import { type ImageGridView, readImageGridView, writeImageGridView } from "./image-grid-view.js";

describe("image grid view in the URL", () => {
  it("round-trips, leaving defaults and other parameters alone", () => {
    const v: ImageGridView = { mode: "logged", across: "steps", keys: ["val/pred", "a b"], step: 12, transpose: true };
    const q = writeImageGridView(new URLSearchParams("runs=a,b&diff=1"), v);
    expect(q.toString()).toBe("runs=a%2Cb&diff=1&img=logged&iacross=steps&ikey=val%2Fpred&ikey=a+b&istep=12&itr=1");
    expect(readImageGridView(q)).toEqual(v);
    const plain = writeImageGridView(q, {
      mode: undefined,
      across: "keys",
      keys: undefined,
      step: undefined,
      transpose: false,
    });
    expect(plain.toString()).toBe("runs=a%2Cb&diff=1");
    expect(readImageGridView(plain)).toEqual({
      mode: undefined,
      across: "keys",
      keys: undefined,
      step: undefined,
      transpose: false,
    });
  });

  it("ignores values it does not know", () => {
    const v = readImageGridView(new URLSearchParams("img=video&istep=x&iacross=runs&itr=yes"));
    expect(v).toEqual({ mode: undefined, across: "keys", keys: undefined, step: undefined, transpose: false });
    expect(readImageGridView(new URLSearchParams("istep=-3")).step).toBe(-3);
  });
});
