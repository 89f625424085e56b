import { describe, expect, it } from "vitest";
import { authorize, floor, foldGrants, type Grant, governing, PERMISSIONS, permissionOn } from "./permissions.js";

const g = (resource_type: string, resource_pattern: string, permission: string): Grant => ({
  resource_type,
  resource_pattern,
  permission,
});

describe("permission folding", () => {
  it("lets DENY win among the grants on one key, else the highest", () => {
    expect(foldGrants([g("experiment", "1", "READ"), g("experiment", "1", "EDIT")], "experiment", "1")?.name).toBe(
      "EDIT",
    );
    expect(foldGrants([g("experiment", "*", "MANAGE"), g("experiment", "1", "DENY")], "experiment", "1")?.name).toBe(
      "DENY",
    );
    expect(foldGrants([g("experiment", "2", "MANAGE")], "experiment", "1")).toBeUndefined();
  });

  it("never resolves a positive grant below default_permission, and keeps DENY", () => {
    expect(floor(PERMISSIONS.READ, "EDIT").name).toBe("EDIT");
    expect(floor(PERMISSIONS.DENY, "MANAGE").name).toBe("DENY");
    expect(permissionOn([g("experiment", "1", "READ")], "experiment", "1", "USE").name).toBe("USE");
    expect(permissionOn([], "experiment", "1", "READ").name).toBe("READ");
  });

  it("lets the first key holding a grant decide (a DENY is never rescued by the parent)", () => {
    const req = { type: "run", id: "*", action: "update" as const, fallback: [["experiment", "1"] as const] };
    expect(governing([g("experiment", "1", "EDIT")], req, "READ").name).toBe("EDIT");
    expect(governing([g("experiment", "1", "MANAGE"), g("run", "*", "DENY")], req, "READ").name).toBe("DENY");
    expect(authorize([g("experiment", "1", "MANAGE"), g("run", "*", "READ")], [req], "READ")).toBe(false);
  });

  it("asks a fallback rung for its own action, and with no grant anywhere the last rung's", () => {
    // Deleting traces: DELETE on a trace grant; without one, DELETE on the experiment. Deleting their assessments:
    // DELETE on an assessment grant; without one, UPDATE on the experiment. @see validate_can_delete_traces
    const assessments = {
      type: "assessment",
      id: "*",
      action: "delete" as const,
      fallback: [["experiment", "1", "update"] as const],
    };
    expect(authorize([g("experiment", "1", "EDIT")], [assessments], "READ")).toBe(true);
    expect(authorize([g("experiment", "1", "READ")], [assessments], "READ")).toBe(false);
    expect(authorize([g("experiment", "1", "MANAGE"), g("assessment", "*", "EDIT")], [assessments], "READ")).toBe(
      false,
    );
    expect(authorize([g("assessment", "*", "MANAGE")], [assessments], "READ")).toBe(true);
    expect(authorize([], [assessments], "EDIT")).toBe(true);
    expect(authorize([], [assessments], "READ")).toBe(false);
  });

  it("treats a workspace MANAGE grant as admin", () => {
    expect(
      authorize(
        [g("workspace", "*", "MANAGE"), g("experiment", "1", "DENY")],
        [{ type: "experiment", id: "1", action: "manage" }],
        "READ",
      ),
    ).toBe(true);
  });
});
