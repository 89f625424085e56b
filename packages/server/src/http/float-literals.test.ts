import { describe, expect, it } from "vitest";
import { useTestApp } from "../testing.test-helpers.js";
import { isFloatLiteral, rememberBodyText } from "./float-literals.js";

describe("float literals in request bodies", () => {
  it("tells 9.0 and 1e3 from 9 at a path of the body", () => {
    const body = { a: 9, b: [{ c: 1000 }], d: 9 };
    rememberBodyText(body, '{"a": 9.0, "b": [{"c": 1e3}], "d": 9}');
    expect(isFloatLiteral(body, ["a"])).toBe(true);
    expect(isFloatLiteral(body, ["b", 0, "c"])).toBe(true);
    expect(isFloatLiteral(body, ["d"])).toBe(false);
    expect(isFloatLiteral({}, ["a"])).toBe(false);
  });

  const t = useTestApp();
  const create = (body: string) =>
    t.app.request("/api/2.0/mlflow/experiments/create", {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body,
    });

  it("echoes a float as Python prints it, with its type, as the reference does", async () => {
    const r = await create('{"name": "x", "artifact_location": 9.0, "tags": [{"key": "key", "value": "value"}]}');
    expect(r.status).toBe(400);
    const body = (await r.json()) as { error_code: string; message: string };
    expect(body.error_code).toBe("INVALID_PARAMETER_VALUE");
    expect(body.message).toBe(
      "Invalid value 9.0 for parameter 'artifact_location' supplied:  Hint: Value was of type 'float'. " +
        "See the API docs for more information about request parameters.",
    );
    const int = (await (await create('{"name": 123}')).json()) as { message: string };
    expect(int.message).toContain("Invalid value 123 for parameter 'name' supplied:  Hint: Value was of type 'int'.");
  });
});
