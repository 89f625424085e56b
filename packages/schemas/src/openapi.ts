import * as z from "zod";
import { CHECKS } from "./checks.js";
import { type Endpoint, endpoints } from "./endpoints.js";
import { double, int64 } from "./wire.js";

/**
 * The OpenAPI 3.1 document of the endpoint table, for API explorers, client generators and the fuzz step of
 * `npm test` (schemathesis). The JSON Schemas come from zod's own `z.toJSONSchema` (OpenAPI 3.1 speaks JSON Schema
 * 2020-12); this module only lays them out as operations. Built on demand, never at start-up.
 */

type JsonSchema = Record<string, unknown>;

/** MLflow's error body, the answer of every 4xx. @see mlflow/server/handlers.py `catch_mlflow_exception` */
const ErrorBody = z.object({
  error_code: z.string().meta({ examples: ["INVALID_PARAMETER_VALUE", "RESOURCE_DOES_NOT_EXIST"] }),
  message: z.string(),
  sqlstate: z.string().optional(),
  error_class: z.string().optional(),
});

const INT64_NOTE =
  'An int64, as protobuf JSON writes it: a number or a decimal string ("42"). Fractions are truncated; tracklite ' +
  "refuses values beyond ±9007199254740991 (2^53 - 1) with INVALID_PARAMETER_VALUE rather than rounding them.";
const DOUBLE_NOTE =
  'A double: a number, a decimal string, or "NaN", "Infinity", "-Infinity" (also the bare tokens Python\'s json ' +
  "writes); booleans read as 1 and 0, as protobuf's ParseDict does.";

/** Replaces the contents of a generated schema in place (zod's `override` hands us the object it will emit). */
function replace(target: JsonSchema, by: JsonSchema): void {
  for (const key of Object.keys(target)) delete target[key];
  Object.assign(target, by);
}

/**
 * zod → JSON Schema for what clients send (`io: "input"`: before the wire quirks are parsed away). A transform
 * that reads anything (an enum read leniently) becomes `{}`; the two quirky scalars are described as accepted.
 */
function requestSchema(schema: z.ZodType): JsonSchema {
  return strip(
    z.toJSONSchema(schema, {
      io: "input",
      unrepresentable: "any",
      override: ({ zodSchema, jsonSchema }) => {
        const js = jsonSchema as JsonSchema;
        if (zodSchema === int64) {
          replace(js, {
            anyOf: [{ type: "number" }, { type: "string", pattern: "^\\s*[-+]?\\d+\\s*$" }],
            description: INT64_NOTE,
          });
        } else if (zodSchema === double) {
          js.description = DOUBLE_NOTE;
        }
      },
    }) as JsonSchema,
  );
}

/**
 * zod → JSON Schema for an answer. Objects stay open (no `additionalProperties: false`): MLflow's protos grow
 * fields and its clients ignore the ones they do not know, so a document that forbade them would be wrong tomorrow.
 */
function responseSchema(schema: z.ZodType): JsonSchema {
  return strip(z.toJSONSchema(schema, { io: "input", unrepresentable: "any" }) as JsonSchema);
}

/** Drops the `$schema` keyword: inside an OpenAPI 3.1 document the dialect is the document's. */
function strip(schema: JsonSchema): JsonSchema {
  const { $schema: _, ...rest } = schema;
  return rest;
}

/** The handler's required fields join the schema's: MLflow's protos make every field optional, its handlers don't. */
function withHandlerRequired(schema: JsonSchema, name: keyof typeof CHECKS): JsonSchema {
  const checks = CHECKS[name] as Readonly<Record<string, readonly string[]>>;
  const props = (schema.properties ?? {}) as Record<string, JsonSchema>;
  const required = new Set((schema.required as string[] | undefined) ?? []);
  for (const [field, fieldChecks] of Object.entries(checks)) {
    if (fieldChecks.includes("required") && field in props) required.add(field);
  }
  return required.size > 0 ? { ...schema, required: [...required] } : schema;
}

/** `/mlflow/logged-models/:model_id` → `/mlflow/logged-models/{model_id}`, with the parameter names. */
function openApiPath(path: string): { path: string; params: string[] } {
  const params: string[] = [];
  const out = path.replace(/:([A-Za-z_][A-Za-z0-9_]*)/g, (_, name: string) => {
    params.push(name);
    return `{${name}}`;
  });
  return { path: out, params };
}

/** The first path segment after `/mlflow/` (or `/tracklite/`): the operation's group. */
function tagOf(path: string): string {
  const [, ns, resource] = path.split("/");
  return ns === "mlflow" ? (resource ?? "mlflow") : (ns ?? "other");
}

function operation(name: string, endpoint: Endpoint, method: string, pathParams: string[]): JsonSchema {
  const request = withHandlerRequired(requestSchema(endpoint.request), name as keyof typeof CHECKS);
  const props = (request.properties ?? {}) as Record<string, JsonSchema>;
  const required = new Set((request.required as string[] | undefined) ?? []);
  const parameters: JsonSchema[] = pathParams.map((p) => ({
    name: p,
    in: "path",
    required: true,
    schema: { type: "string" },
  }));
  const op: JsonSchema = {
    operationId: method === endpoint.methods[0] ? name : `${name}_${method.toLowerCase()}`,
    tags: [tagOf(endpoint.path)],
  };
  if (method === "GET") {
    // Query parameters: a repeated field is the key repeated (`?run_id=a&run_id=b`), OpenAPI's form/explode default.
    for (const [key, schema] of Object.entries(props)) {
      if (pathParams.includes(key)) continue;
      parameters.push({ name: key, in: "query", required: required.has(key), schema });
    }
  } else if (Object.keys(props).length > 0) {
    op.requestBody = {
      required: required.size > 0,
      content: { "application/json": { schema: request } },
    };
  }
  if (parameters.length > 0) op.parameters = parameters;
  op.responses = {
    [String(endpoint.successStatus ?? 200)]: {
      description: "Success (an empty object for calls that only change state).",
      content: { "application/json": { schema: responseSchema(endpoint.response) } },
    },
    "4XX": { $ref: "#/components/responses/MlflowError" },
  };
  return op;
}

/**
 * Where an endpoint of the table is served: `/api/2.0` (also `/api/3.0` and `/ajax-api/…`), only under ajax, or only
 * under 3.0 (MLflow 3's newer RPCs, whose paths MLflow 2's trace RPCs share under 2.0).
 */
export function openApiPrefixOf(endpoint: Endpoint): string {
  if (endpoint.ajaxOnly) return "/ajax-api/2.0";
  return endpoint.v3Only ? "/api/3.0" : "/api/2.0";
}

/** Builds the OpenAPI 3.1 document of every endpoint of the table. `version` is the MLflow API version served. */
export function buildOpenApiDocument(version: string): JsonSchema {
  const paths: Record<string, Record<string, JsonSchema>> = {};
  for (const [name, endpoint] of Object.entries(endpoints) as [string, Endpoint][]) {
    // The basic-auth routes are served only with `--app-name basic-auth`, and are not MLflow protos.
    if (endpoint.auth) continue;
    const { path, params } = openApiPath(endpoint.path);
    const full = openApiPrefixOf(endpoint) + path;
    paths[full] ??= {};
    for (const method of endpoint.methods) {
      (paths[full] as Record<string, JsonSchema>)[method.toLowerCase()] = operation(name, endpoint, method, params);
    }
  }
  return {
    openapi: "3.1.0",
    info: {
      title: "tracklite (MLflow REST API)",
      version,
      description:
        "The MLflow tracking and model-registry REST API as tracklite serves it. Every `/api/2.0/…` path is also " +
        "served under `/api/3.0/`, `/ajax-api/2.0/` and `/ajax-api/3.0/`. Wire format: protobuf JSON — int64 fields " +
        'accept numbers or decimal strings, doubles accept "NaN"/"Infinity"/"-Infinity", unset fields are omitted, ' +
        "a JSON null counts as unset, and GET calls take their message as query parameters (a repeated field as the " +
        "key repeated). Errors answer `{error_code, message}`. Not described here: the artifact proxy " +
        "(`/api/2.0/mlflow-artifacts/…`), `/get-artifact`, `/health` and `/version`.",
    },
    servers: [{ url: "/" }],
    paths,
    components: {
      responses: {
        MlflowError: {
          description: "An MLflow error: `error_code` names it (INVALID_PARAMETER_VALUE → 400, …DOES_NOT_EXIST → 404).",
          content: { "application/json": { schema: responseSchema(ErrorBody) } },
        },
      },
    },
  };
}
