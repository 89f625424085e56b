import { describe, expect, it } from "vitest";
import { MlflowError } from "../errors.js";
import { compileExperimentSearch, type ExperimentSearchQuery } from "./experiment-search-sql.js";
import { useSearchDb } from "./search-db.test-helpers.js";
import { EXPERIMENT_GOLDEN } from "./search-golden.test-helpers.js";

const db = useSearchDb();

const base: ExperimentSearchQuery = { viewType: "ACTIVE_ONLY", maxResults: 10 };

function errorOf(q: Partial<ExperimentSearchQuery>): [string, string] {
  try {
    compileExperimentSearch({ ...base, ...q });
  } catch (e) {
    if (e instanceof MlflowError) return [e.code, e.message];
    throw e;
  }
  throw new Error("compiled");
}

describe("compileExperimentSearch against the reference's results", () => {
  it.each(EXPERIMENT_GOLDEN)("%j", async (q, expected) => {
    expect((await db.experiments(q)).names).toEqual(expected);
  });
});

describe("experiments paging", () => {
  it.each([1, 2, 3])("pages of %i concatenate to the full result, for every recorded query", async (size) => {
    for (const [q, expected] of EXPERIMENT_GOLDEN) {
      const pages = await db.allExperiments(q, size);
      expect(pages.flat(), JSON.stringify(q)).toEqual(expected);
      for (const p of pages.slice(0, -1)) expect(p).toHaveLength(size);
    }
  });

  it("refuses malformed tokens and tokens of another ordering", async () => {
    const { token } = await db.experiments({ maxResults: 2 });
    expect(token).toBeDefined();
    expect(errorOf({ orderBy: ["name"], pageToken: token as string })[1]).toMatch(/^Invalid page token, parsed value=/);
    expect(errorOf({ pageToken: "%%%" })).toEqual([
      "INVALID_PARAMETER_VALUE",
      "Invalid page token, could not base64-decode",
    ]);
    expect(errorOf({ pageToken: btoa("[") })).toEqual([
      "INVALID_PARAMETER_VALUE",
      "Invalid page token, decoded value=[",
    ]);
  });

  it("keeps paging correct across ties on the sort key (experiment_id DESC breaks them)", async () => {
    const pages = await db.allExperiments({ orderBy: ["creation_time"], viewType: "ALL" }, 1);
    expect(pages.flat()).toEqual(["Default", "a_b%", "Alpha", "beta", "gamma", "delta"]);
  });
});

describe("compiled experiments SQL", () => {
  it("selects every experiments column plus the keys, binding user values", () => {
    const q = compileExperimentSearch({ ...base, filter: "name = 'x''; --' AND tags.`a b` LIKE 'p%'" });
    expect(q.sql).toMatch(/^SELECT e\.\*, e\.creation_time AS k0, e\.experiment_id AS k1\n/);
    expect(q.sql).not.toContain("--'");
    expect(q.args).toEqual(["active", "x''; --", "a b", "p*"]);
    expect(q.sql).toMatch(/LIMIT 11$/);
  });

  it("stops the sort keys at experiment_id, which is unique", () => {
    expect(compileExperimentSearch({ ...base, orderBy: ["experiment_id", "name"] }).sql).toMatch(
      /^SELECT e\.\*, e\.experiment_id AS k0\n/,
    );
    expect(compileExperimentSearch({ ...base, orderBy: ["name"] }).sql).toMatch(
      /e\.name AS k0, e\.experiment_id AS k1\n/,
    );
  });

  it("reports filter errors before order_by errors and both before token errors", () => {
    expect(errorOf({ filter: "name > 'a'", orderBy: ["tags.t"], pageToken: "!" })[1]).toMatch(
      /^Invalid comparator '>'/,
    );
    expect(errorOf({ orderBy: ["tags.t"], pageToken: "!" })[1]).toBe("Invalid order_by entity: tag");
  });
});
