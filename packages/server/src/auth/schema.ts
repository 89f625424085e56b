import { index, integer, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";

/**
 * The auth database: the reference's `basic_auth.db` tables (users, roles, role grants, user-role assignments) with
 * the same names and columns, so an MLflow auth database can be opened as it is, plus tracklite's API tokens.
 * @see mlflow/server/auth/db/models.py
 */
export const users = sqliteTable("users", {
  id: integer("id").primaryKey(),
  username: text("username", { length: 255 }).unique(),
  passwordHash: text("password_hash", { length: 255 }),
  isAdmin: integer("is_admin", { mode: "boolean" }).default(false),
});

export const roles = sqliteTable(
  "roles",
  {
    id: integer("id").primaryKey(),
    name: text("name", { length: 255 }).notNull(),
    workspace: text("workspace", { length: 63 }).notNull(),
    description: text("description", { length: 1024 }),
  },
  (t) => [
    uniqueIndex("unique_workspace_role_name").on(t.workspace, t.name),
    index("idx_roles_workspace").on(t.workspace),
  ],
);

export const rolePermissions = sqliteTable(
  "role_permissions",
  {
    id: integer("id").primaryKey(),
    roleId: integer("role_id")
      .notNull()
      .references(() => roles.id),
    resourceType: text("resource_type", { length: 64 }).notNull(),
    resourcePattern: text("resource_pattern", { length: 255 }).notNull(),
    permission: text("permission", { length: 255 }).notNull(),
  },
  (t) => [
    uniqueIndex("unique_role_resource_perm").on(t.roleId, t.resourceType, t.resourcePattern),
    index("idx_role_permissions_role_id").on(t.roleId),
  ],
);

export const userRoleAssignments = sqliteTable(
  "user_role_assignments",
  {
    id: integer("id").primaryKey(),
    userId: integer("user_id")
      .notNull()
      .references(() => users.id),
    roleId: integer("role_id")
      .notNull()
      .references(() => roles.id),
  },
  (t) => [
    uniqueIndex("unique_user_role").on(t.userId, t.roleId),
    index("idx_user_role_assignments_user_id").on(t.userId),
    index("idx_user_role_assignments_role_id").on(t.roleId),
  ],
);

/** tracklite's per-user API tokens (sent as `Authorization: Bearer`); only a SHA-256 of each token is kept. */
export const apiTokens = sqliteTable(
  "tracklite_api_tokens",
  {
    id: integer("id").primaryKey(),
    userId: integer("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    name: text("name").notNull(),
    tokenHash: text("token_hash").notNull().unique(),
    /** The token's first characters, shown in listings so a user can tell tokens apart. */
    prefix: text("prefix").notNull(),
    createdAt: integer("created_at").notNull(),
    lastUsedAt: integer("last_used_at"),
  },
  (t) => [index("idx_tracklite_api_tokens_user_id").on(t.userId)],
);
