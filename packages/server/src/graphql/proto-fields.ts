import {
  type GraphQLFieldResolver,
  GraphQLFloat,
  type GraphQLOutputType,
  getNullableType,
  isEnumType,
  isListType,
  isObjectType,
  isScalarType,
} from "graphql";

type Row = Record<string, unknown>;

const snakeNames = new Map<string, string>();

/** `runUuid` → `run_uuid`: graphene's camelCase field names back to the proto's, which MLflow's JSON uses. */
export function snakeCase(name: string): string {
  let snake = snakeNames.get(name);
  if (snake === undefined) {
    snake = name.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
    snakeNames.set(name, snake);
  }
  return snake;
}

/**
 * What the reference answers for a field its proto message leaves unset: graphene reads protobuf attributes, which
 * give the type's default: 0 (`"0"` as a LongString), "", false, an empty list, an empty message (whose own fields
 * default in turn). An unset enum is null: the reference's enums cannot represent proto's 0 and fail the field.
 */
function protoDefault(type: GraphQLOutputType): unknown {
  const t = getNullableType(type);
  if (isListType(t)) return [];
  if (isObjectType(t)) return {};
  if (isEnumType(t)) return null;
  if (isScalarType(t)) {
    switch (t.name) {
      case "String":
        return "";
      case "LongString":
        return "0";
      case "Boolean":
        return false;
      default:
        return 0;
    }
  }
  return null;
}

/**
 * A metric value as GraphQL's Float can carry it: MLflow's JSON writes NaN and the infinities as strings. NaN is null
 * (the reference's `MlflowMetricExtension.resolve_value`); an infinity is the largest double, which is what the
 * reference's store keeps in its place.
 */
function floatOf(value: unknown): unknown {
  if (typeof value !== "string") return value;
  if (value === "Infinity") return Number.MAX_VALUE;
  if (value === "-Infinity") return -Number.MAX_VALUE;
  if (value === "NaN") return null;
  return Number(value);
}

/**
 * The resolver of every field without one of its own: the source is an MLflow JSON message (snake_case, unset
 * fields left out, as the REST API writes it), and the field is read from it as graphene reads the proto message.
 */
export const protoFieldResolver: GraphQLFieldResolver<unknown, unknown> = (source, _args, _context, info) => {
  const value = source !== null && typeof source === "object" ? (source as Row)[snakeCase(info.fieldName)] : undefined;
  if (value === undefined || value === null) return protoDefault(info.returnType);
  return getNullableType(info.returnType) === GraphQLFloat ? floatOf(value) : value;
};
