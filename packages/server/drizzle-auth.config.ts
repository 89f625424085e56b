import { defineConfig } from "drizzle-kit";

/** The auth database (`--app-name basic-auth`) has its own schema and migrations. */
export default defineConfig({
  dialect: "sqlite",
  schema: "./src/auth/schema.ts",
  out: "./drizzle-auth",
});
