import { describe, expect, it } from "vitest";
import { PyFloat, pyJsonDumps, pyJsonLoads } from "../traces/py-json.js";
import {
  dumpsSorted,
  inputHashOf,
  mergeRecord,
  newRecord,
  readRecordList,
  readSource,
  recordToDict,
  updateSchema,
} from "./record-values.js";

const ids = { dataset_id: "d-1", dataset_record_id: "dr-1", input_hash: "h" };

describe("record values", () => {
  it("hashes inputs as json.dumps(inputs, sort_keys=True) does", () => {
    expect(dumpsSorted({ b: 1, a: { d: new PyFloat(2), c: [true, null] } })).toBe(
      '{"a": {"c": [true, null], "d": 2.0}, "b": 1}',
    );
    // sha256('{"q": "a"}'), as the reference stores it
    expect(inputHashOf({ q: "a" })).toBe("a4bc9dd8ac9abf3f5f4d884c10315b92e9e923d5baa3a5f73b19d3bfd67bd0c9");
    expect(inputHashOf({ n: 1, q: "a" })).toBe(inputHashOf({ q: "a", n: 1 }));
  });

  it("writes a new record as DatasetRecord.to_dict does", () => {
    const r = newRecord(
      {
        inputs: { q: "x" },
        tags: { "mlflow.user": "bob" },
        source: { source_type: "trace", source_data: { trace_id: "tr-1" } },
      },
      ids,
      5,
    );
    expect(pyJsonDumps(recordToDict(r))).toBe(
      '{"dataset_record_id": "dr-1", "dataset_id": "d-1", "inputs": {"q": "x"}, "tags": {"mlflow.user": "bob"}, ' +
        '"source": {"source_type": "TRACE", "source_data": {"trace_id": "tr-1"}}, "source_id": "tr-1", ' +
        '"source_type": "TRACE", "created_time": 5, "last_update_time": 5, "created_by": "bob", "last_updated_by": "bob", ' +
        '"outputs": {}}',
    );
  });

  it("merges expectations and tags, replaces outputs, keeps the source and creator", () => {
    const r = newRecord({ inputs: { q: "x" }, expectations: { a: 1 }, tags: { t: "1" }, outputs: "o1" }, ids, 1);
    mergeRecord(r, { expectations: { b: 2 }, tags: { "mlflow.user": "al" }, outputs: null }, 9);
    expect(r.expectations).toEqual({ a: 1, b: 2 });
    expect(r.tags).toEqual({ t: "1", "mlflow.user": "al" });
    expect(r.outputs).toBeUndefined();
    expect([r.created_time, r.last_update_time, r.created_by, r.last_updated_by]).toEqual([1, 9, null, "al"]);
    mergeRecord(r, { expectations: {} }, 10);
    expect(r.expectations).toEqual({ a: 1, b: 2 });
  });

  it("reads sources as DatasetRecordSource(**source) does", () => {
    expect(readSource(null)).toBeNull();
    expect(readSource({ source_type: "human" })?.source).toEqual({ source_type: "HUMAN", source_data: {} });
    expect(readSource({ source_type: "CODE", source_data: { source_id: "s" } })?.source_id).toBe("s");
    expect(() => readSource({ source_type: "bogus" })).toThrow(/Invalid dataset record source type: BOGUS/);
    expect(() => readSource({ foo: 1 })).toThrow(/unexpected keyword argument 'foo'/);
    expect(() => readSource("abc")).toThrow(/'str' object has no attribute 'to_dict'/);
  });

  it("reads the records list as the handler iterates it", () => {
    expect(readRecordList("[]", pyJsonLoads)).toEqual([]);
    expect(readRecordList("{}", pyJsonLoads)).toEqual([]);
    expect(() => readRecordList('{"a": 1}', pyJsonLoads)).toThrow(/'str' object has no attribute 'get'/);
    expect(() => readRecordList("5", pyJsonLoads)).toThrow(/'int' object is not iterable/);
    expect(() => readRecordList("[1]", pyJsonLoads)).toThrow(/'int' object has no attribute 'get'/);
    expect(() => readRecordList("nope", pyJsonLoads)).toThrow(/Invalid JSON in 'records'/);
  });

  it("infers the schema field by field, first type wins", () => {
    const s = updateSchema(undefined, [
      { inputs: { q: "a", n: 1, f: new PyFloat(1) }, outputs: "x", expectations: { ok: true, l: [1] } },
      { inputs: { q: 5, o: { a: 1 }, z: null }, outputs: { k: 1 } },
    ]);
    expect(pyJsonDumps(s ?? null)).toBe(
      '{"inputs": {"q": "string", "n": "integer", "f": "float", "o": "object", "z": "null"}, "outputs": "string", ' +
        '"expectations": {"ok": "boolean", "l": "array"}, "version": "1.0"}',
    );
    expect(updateSchema(undefined, [])).toBeUndefined();
    expect(updateSchema({ inputs: {}, outputs: {}, expectations: {}, version: "1.0" }, [])).toBeDefined();
  });
});
