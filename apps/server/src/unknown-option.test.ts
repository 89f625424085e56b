import { describe, expect, it } from "vitest";
import { OPTIONS } from "./options.js";
import { closest, suggestCommand } from "./unknown-option.js";

const flags = Object.keys(OPTIONS);

describe("closest", () => {
  it("finds a typo's flag, a prefix's flag, and nothing for a stranger", () => {
    expect(closest("portt", flags)).toEqual(["port"]);
    expect(closest("hots", flags)).toEqual(["host"]);
    expect(closest("artifact-destination", flags)).toEqual(["artifacts-destination"]);
    expect(closest("backend-store", flags)).toEqual(["backend-store-uri"]);
    expect(closest("frobnicate", flags)).toEqual([]);
  });

  it("names the commands", () => {
    expect(suggestCommand("serve")).toMatch(/Did you mean 'server'\?/);
    expect(suggestCommand("launch")).not.toMatch(/Did you mean/);
  });
});
