import { describe, expect, it } from "vitest";
import type { UserPermission } from "./auth-api.js";
import { isUserRole, passwordProblem, resourceLabel, splitPermissions } from "./permissions.js";

const row = (
  role_name: string,
  resource_type: string,
  resource_pattern: string,
  permission = "READ",
): UserPermission => ({
  role_id: 1,
  role_name,
  workspace: "default",
  resource_type,
  resource_pattern,
  permission,
});

describe("permissions", () => {
  it("asks for passwords of at least 12 characters, typed twice alike", () => {
    expect(passwordProblem("short")).toBe("Use at least 12 characters.");
    expect(passwordProblem("12-characters")).toBeUndefined();
    expect(passwordProblem("12-characters", "12-characterz")).toBe("The two passwords differ.");
    expect(passwordProblem("12-characters", "12-characters")).toBeUndefined();
  });

  it("tells a user's own grants (the __user_<id>__ role) from role grants, sorted", () => {
    expect(isUserRole("__user_12__")).toBe(true);
    expect(isUserRole("__user_x__")).toBe(false);
    expect(isUserRole("readers")).toBe(false);
    const { direct, viaRoles } = splitPermissions([
      row("readers", "experiment", "*"),
      row("__user_2__", "experiment", "10"),
      row("__user_2__", "experiment", "9", "DENY"),
      row("__user_2__", "registered_model", "iris"),
    ]);
    expect(direct.map((r) => `${r.resource_type}:${r.resource_pattern}`)).toEqual([
      "experiment:9",
      "experiment:10",
      "registered_model:iris",
    ]);
    expect(viaRoles.map((r) => r.role_name)).toEqual(["readers"]);
  });

  it("names resources as people read them", () => {
    expect(resourceLabel("experiment", "3")).toBe("Experiment 3");
    expect(resourceLabel("registered_model", "*")).toBe("All registered models");
    expect(resourceLabel("logged_model", "*")).toBe("All logged models");
  });
});
