import { describe, expect, it } from "vitest";
import { buildTree, flatten, likeFilter, matchesName, nameFilter } from "./experiment-tree.js";

const exp = (id: string, name: string, t: number) => ({ experiment_id: id, name, last_update_time: t });
const experiments = [
  exp("0", "Default", 10),
  exp("1", "vision/resnet/baseline", 50),
  exp("2", "vision/resnet/augmented", 70),
  exp("3", "vision/vit", 20),
  exp("4", "nlp/bert", 90),
  exp("5", "/Users/ann/scratch", 5),
];
const labels = (rows: { kind: string; label: string; depth: number }[]) =>
  rows.map((r) => `${"  ".repeat(r.depth)}${r.kind === "folder" ? `${r.label}/` : r.label}`);

describe("buildTree + flatten", () => {
  it("groups names by `/` and orders each level by the newest update", () => {
    const root = buildTree(experiments);
    expect(labels(flatten(root, new Set()))).toEqual([
      "nlp/",
      "  bert",
      "vision/",
      "  resnet/",
      "    augmented",
      "    baseline",
      "  vit",
      "Default",
      "Users/",
      "  ann/",
      "    scratch",
    ]);
  });

  it("counts experiments at any depth", () => {
    const root = buildTree(experiments);
    const vision = root.children.find((c) => c.kind === "folder" && c.path === "vision/");
    expect(vision).toMatchObject({ count: 3, latest: 70 });
    expect(root.count).toBe(6);
  });

  it("hides the contents of collapsed folders unless everything is expanded", () => {
    const root = buildTree(experiments);
    expect(labels(flatten(root, new Set(["vision/", "Users/"])))).toEqual([
      "nlp/",
      "  bert",
      "vision/",
      "Default",
      "Users/",
    ]);
    expect(flatten(root, new Set(["vision/"]), true)).toHaveLength(11);
  });

  it("keeps an experiment and a folder of the same name apart", () => {
    const root = buildTree([exp("1", "team", 1), exp("2", "team/a", 2)]);
    expect(labels(flatten(root, new Set()))).toEqual(["team/", "  a", "team"]);
  });
});

describe("search", () => {
  it("matches every word, ignoring case", () => {
    expect(matchesName("vision/ResNet/baseline", "resnet base")).toBe(true);
    expect(matchesName("vision/ResNet/baseline", "resnet vit")).toBe(false);
    expect(matchesName("anything", "  ")).toBe(true);
  });

  it("builds an ILIKE filter with quotes the text does not contain", () => {
    expect(nameFilter("res")).toBe("name ILIKE '%res%'");
    expect(nameFilter("ann's")).toBe(`name ILIKE "%ann's%"`);
    expect(nameFilter(`a'"b`)).toBeUndefined();
    expect(nameFilter(" ")).toBeUndefined();
    expect(likeFilter("attributes.run_name", "lr 0.1")).toBe("attributes.run_name ILIKE '%lr 0.1%'");
  });
});
