import {
  buildSchema,
  type GraphQLFieldResolver,
  type GraphQLScalarType,
  GraphQLSchema,
  isObjectType,
  Kind,
  type ValueNode,
} from "graphql";
import type { GraphqlContext } from "./context.js";
import { RESOLVERS } from "./resolvers.js";
import { SDL } from "./sdl.js";

/**
 * int64 fields as strings, so that JavaScript clients keep every digit. In input, an integer literal or a variable's
 * integer (or integer string); another literal counts as null, as in the reference.
 * @see mlflow/server/graphql/graphql_custom_scalars.py LongString
 */
function makeLongString(scalar: GraphQLScalarType): void {
  scalar.serialize = (value) => String(value);
  scalar.parseValue = (value) => {
    const n = typeof value === "number" ? value : Number(String(value).trim());
    if (!Number.isInteger(n)) throw new TypeError(`invalid literal for int() with base 10: '${String(value)}'`);
    return n;
  };
  scalar.parseLiteral = (node: ValueNode) => (node.kind === Kind.INT ? Number.parseInt(node.value, 10) : null);
}

/**
 * The executable schema: the reference's types (sdl.ts) with tracklite's resolvers on the calls; `apiError` is
 * always null, as the reference never fills it. Only `@component` is declared, as in the reference, whose schema
 * lists its own directive in place of GraphQL's (so `@include` and `@skip` are unknown there too).
 */
export function makeSchema(): GraphQLSchema {
  const built = buildSchema(SDL);
  makeLongString(built.getType("LongString") as GraphQLScalarType);
  const component = built.getDirective("component");
  const schema = new GraphQLSchema({ ...built.toConfig(), directives: component ? [component] : [] });
  for (const type of Object.values(schema.getTypeMap())) {
    if (!isObjectType(type) || type.name.startsWith("__")) continue;
    const own = RESOLVERS[type.name] ?? {};
    for (const [name, field] of Object.entries(type.getFields())) {
      const resolve = own[name] ?? (name === "apiError" ? () => null : undefined);
      if (resolve) field.resolve = resolve as GraphQLFieldResolver<unknown, GraphqlContext>;
    }
  }
  return schema;
}
