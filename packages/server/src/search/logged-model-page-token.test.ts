import { describe, expect, it } from "vitest";
import { decodeModelPageToken, encodeModelPageToken, type ModelSearchIdentity } from "./logged-model-page-token.js";

const search: ModelSearchIdentity = { experimentIds: ["5"], filter: null, orderBy: null };

describe("logged-models page tokens", () => {
  it("are the reference's tokens, byte for byte, and read back", () => {
    // recorded from MLflow 3.17.2: search of experiment 5 with max_results 2
    const reference =
      "eyJleHBlcmltZW50X2lkcyI6IFsiNSJdLCAiZmlsdGVyX3N0cmluZyI6IG51bGwsICJvcmRlcl9ieSI6IG51bGwsICJvZmZzZXQiOiAyfQ==";
    expect(encodeModelPageToken(search, 2)).toBe(reference);
    expect(decodeModelPageToken(reference, search)).toBe(2);
  });

  it("continue only their own search, with the reference's messages", () => {
    const token = encodeModelPageToken(search, 2);
    const orderBy = [{ field_name: "name", ascending: true, dataset_name: null, dataset_digest: null }];
    expect(() => decodeModelPageToken(token, { ...search, experimentIds: ["5", "0"] })).toThrow(
      "Experiment IDs in the page token do not match the requested experiment IDs. Expected: ['5', '0']. Found: ['5']",
    );
    expect(() => decodeModelPageToken(token, { ...search, filter: "name != 'x'" })).toThrow(
      "Filter string in the page token does not match the requested filter string. Expected: name != 'x'. Found: None",
    );
    expect(() => decodeModelPageToken(token, { ...search, orderBy })).toThrow(
      "Order by in the page token does not match the requested order by. Expected: [{'field_name': 'name', 'ascending': True, 'dataset_name': None, 'dataset_digest': None}]. Found: None",
    );
    expect(() => decodeModelPageToken("bm90anNvbg==", search)).toThrow(
      "Invalid page token: bm90anNvbg==. Expecting value: line 1 column 1 (char 0)",
    );
    expect(() => decodeModelPageToken("eyJhIjogMX0=", search)).toThrow("Expected: ['5']. Found: None");
    expect(() => decodeModelPageToken("garbage", search)).toThrow(/^Invalid page token: garbage\./);
  });
});
