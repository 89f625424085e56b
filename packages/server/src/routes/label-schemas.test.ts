import { beforeAll, describe, expect, it } from "vitest";
import { useTestApp } from "../testing.test-helpers.js";
import { callV3, expectError, newExperiment } from "./review.test-helpers.js";

const t = useTestApp();
let exp = "";
const call = (method: string, path: string, body?: Record<string, unknown>) => callV3(t, method, path, body);
const create = (body: Record<string, unknown>) =>
  call("POST", "/label-schemas/create", { experiment_id: exp, ...body });
const API = " See the API docs for more information about request parameters.";

beforeAll(async () => {
  exp = await newExperiment(t, "label-schemas");
});

describe("label-schemas/create", () => {
  it("stores each input variant and answers the reference's fields", async () => {
    const r = await create({
      name: "Correct?",
      type: "EXPECTATION",
      instruction: "judge",
      enable_comment: true,
      input: { pass_fail: { positive_label: "Yes", negative_label: "No" } },
    });
    expect(r.status).toBe(200);
    const s = r.body.label_schema;
    expect(s.schema_id).toMatch(/^ls-[0-9a-f]{32}$/);
    expect(s).toMatchObject({
      experiment_id: exp,
      name: "Correct?",
      type: "EXPECTATION",
      instruction: "judge",
      enable_comment: true,
      input: { pass_fail: { positive_label: "Yes", negative_label: "No" } },
      is_default: false,
    });
    expect(s.created_at).toBe(s.last_updated_at);
    expect(s).not.toHaveProperty("created_by");
    const cat = await create({ name: "c", type: 1, input: { categorical: { options: ["a", "b"] } } });
    expect(cat.body.label_schema.input).toEqual({ categorical: { options: ["a", "b"], multi_select: false } });
    expect(cat.body.label_schema.type).toBe("FEEDBACK");
    const num = await create({ name: "n", type: "FEEDBACK", input: { numeric: { max_value: 3 } } });
    expect(num.body.label_schema.input).toEqual({ numeric: { max_value: 3 } });
    const text = await create({ name: "t", type: "FEEDBACK", input: { text: { max_length: "7" } } });
    expect(text.body.label_schema.input).toEqual({ text: { max_length: 7 } });
    expect(text.body.label_schema).not.toHaveProperty("instruction");
  });

  it("refuses what the reference refuses, with its messages", async () => {
    expectError(
      await call("POST", "/label-schemas/create", {}),
      400,
      "INVALID_PARAMETER_VALUE",
      `Missing value for required parameter 'experiment_id'.${API}`,
    );
    expectError(
      await create({ name: "q", type: "BOGUS", input: { text: {} } }),
      400,
      "INVALID_PARAMETER_VALUE",
      "Label schema `type` must be one of FEEDBACK or EXPECTATION; got proto enum value 0.",
    );
    expectError(
      await create({ name: "q", type: "FEEDBACK", input: {} }),
      400,
      "INVALID_PARAMETER_VALUE",
      /^Label schema `input` must have exactly one of/,
    );
    expectError(
      await create({ name: " FEEDBACK ", type: "FEEDBACK", input: { text: {} } }),
      400,
      "INVALID_PARAMETER_VALUE",
      "` FEEDBACK ` is reserved for the experiment's default question and cannot be used for another label schema.",
    );
    expectError(
      await create({ name: "n", type: "FEEDBACK", input: { numeric: { min_value: 5, max_value: 1 } } }),
      400,
      "INVALID_PARAMETER_VALUE",
      "`InputNumeric.min_value` must be strictly less than `max_value`; got min=5.0, max=1.0.",
    );
    expectError(
      await create({ name: "c2", type: "FEEDBACK", input: { categorical: { options: ["x", "x"] } } }),
      400,
      "INVALID_PARAMETER_VALUE",
      "`InputCategorical.options` must be deduplicated; 'x' appears twice.",
    );
    expectError(
      await create({ name: "p", type: "FEEDBACK", input: { pass_fail: { positive_label: "a" } } }),
      400,
      "INVALID_PARAMETER_VALUE",
      "`InputPassFail.negative_label` must be a non-empty string; got ''.",
    );
    expectError(
      await create({ name: "Correct?", type: "FEEDBACK", input: { text: {} } }),
      400,
      "RESOURCE_ALREADY_EXISTS",
      `Label schema with name 'Correct?' already exists for experiment '${exp}'.`,
    );
    expectError(
      await call("POST", "/label-schemas/create", { experiment_id: "999", name: "z", type: 1, input: { text: {} } }),
      404,
      "RESOURCE_DOES_NOT_EXIST",
      "No Experiment with id=999 exists",
    );
  });
});

describe("label-schemas get, list, update, delete", () => {
  it("lists newest first after seeding the protected default question, in pages", async () => {
    const e = await newExperiment(t, "ls-list");
    for (const name of ["a", "b"]) {
      await call("POST", "/label-schemas/create", { experiment_id: e, name, type: 1, input: { text: {} } });
      await new Promise((r) => setTimeout(r, 3));
    }
    const all = await call("GET", "/label-schemas/list", { experiment_id: e });
    expect(all.status).toBe(200);
    expect(all.body.label_schemas.map((s: { name: string }) => s.name)).toEqual(["Feedback", "b", "a"]);
    expect(all.body.label_schemas[0]).toMatchObject({
      is_default: true,
      instruction: "Share any feedback on this trace.",
      input: { text: {} },
    });
    expect(all.body.next_page_token).toBe("");
    const p1 = await call("GET", "/label-schemas/list", { experiment_id: e, max_results: 2 });
    expect(p1.body.label_schemas).toHaveLength(2);
    const p2 = await call("GET", "/label-schemas/list", {
      experiment_id: e,
      max_results: 2,
      page_token: p1.body.next_page_token,
    });
    expect(p2.body.label_schemas.map((s: { name: string }) => s.name)).toEqual(["a"]);
    // a second list does not seed another default
    expect((await call("GET", "/label-schemas/list", { experiment_id: e })).body.label_schemas).toHaveLength(3);
    expectError(
      await call("GET", "/label-schemas/list", { experiment_id: e, max_results: 0 }),
      400,
      "INVALID_PARAMETER_VALUE",
      `max_results must be between 1 and 50000.${API}`,
    );
    const d = all.body.label_schemas[0].schema_id;
    expectError(
      await call("DELETE", "/label-schemas/delete", { schema_id: d }),
      400,
      "INVALID_PARAMETER_VALUE",
      "The experiment's default question cannot be deleted.",
    );
    expectError(
      await call("PATCH", "/label-schemas/update", { schema_id: d, name: "x" }),
      400,
      "INVALID_PARAMETER_VALUE",
      "The experiment's default question cannot be edited.",
    );
  });

  it("gets by id and name, updates sparsely, keeps the input variant, deletes idempotently", async () => {
    const r = await create({ name: "upd", type: "FEEDBACK", input: { categorical: { options: ["x"] } } });
    const id = r.body.label_schema.schema_id;
    expect((await call("GET", "/label-schemas/get", { schema_id: id })).body.label_schema.name).toBe("upd");
    expect((await call("GET", "/label-schemas/get-by-name", { experiment_id: exp, name: "upd" })).status).toBe(200);
    expectError(
      await call("GET", "/label-schemas/get-by-name", { experiment_id: exp, name: "nope" }),
      404,
      "RESOURCE_DOES_NOT_EXIST",
      `Label schema with name 'nope' not found for experiment '${exp}'.`,
    );
    const u = await call("PATCH", "/label-schemas/update", {
      schema_id: id,
      name: "upd2",
      input: { categorical: { options: ["x", "y"] } },
    });
    expect(u.status).toBe(200);
    expect(u.body.label_schema).toMatchObject({ name: "upd2", input: { categorical: { options: ["x", "y"] } } });
    expectError(
      await call("PATCH", "/label-schemas/update", { schema_id: id, input: { text: {} } }),
      400,
      "INVALID_PARAMETER_VALUE",
      "A label schema's input type cannot be changed after creation (existing: InputCategorical, got: InputText).",
    );
    expectError(
      await call("PATCH", "/label-schemas/update", {
        schema_id: id,
        input: { categorical: { options: ["x"], multi_select: true } },
      }),
      400,
      "INVALID_PARAMETER_VALUE",
      "`InputCategorical.multi_select` cannot be changed after creation.",
    );
    expectError(
      await call("PATCH", "/label-schemas/update", { schema_id: id, name: "Correct?" }),
      400,
      "RESOURCE_ALREADY_EXISTS",
      `Label schema with name 'Correct?' already exists for experiment '${exp}'.`,
    );
    expect((await call("DELETE", "/label-schemas/delete", { schema_id: id })).status).toBe(200);
    expect((await call("DELETE", "/label-schemas/delete", { schema_id: id })).status).toBe(200);
    expectError(
      await call("GET", "/label-schemas/get", { schema_id: id }),
      404,
      "RESOURCE_DOES_NOT_EXIST",
      `Label schema with id '${id}' not found.`,
    );
  });

  it("is served under /ajax-api/3.0 and not under 2.0", async () => {
    const ajax = await callV3(t, "GET", "/label-schemas/list", { experiment_id: exp }, "/ajax-api/3.0");
    expect(ajax.status).toBe(200);
    const v2 = await callV3(t, "GET", "/label-schemas/list", { experiment_id: exp }, "/api/2.0");
    expect(v2.status).toBe(404);
  });
});
