import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { MlflowClient } from "./client.js";
import { MlflowApiError } from "./errors.js";
import { type RunningServer, startServer } from "./testing/servers.test-helpers.js";

const ADMIN = { username: "admin", password: "client-admin-password" };

// The basic-auth routes of the shared table through `call`, against a real tracklite with `--app-name basic-auth`
// (the `/api/3.0` grant routes and tracklite's token routes included).
describe("MlflowClient against tracklite --app-name basic-auth", () => {
  let server: RunningServer;
  beforeAll(async () => {
    server = await startServer("tracklite", {
      args: ["--app-name", "basic-auth"],
      env: { MLFLOW_AUTH_ADMIN_PASSWORD: ADMIN.password },
    });
  }, 90_000);
  afterAll(async () => {
    await server?.stop();
  }, 30_000);

  it("manages users and grants, and signs in with a token", async () => {
    const admin = new MlflowClient({ trackingUri: server.url, maxRetries: 0, ...ADMIN });
    const created = await admin.call("createUser", { username: "ts-user", password: "ts-user-password" });
    expect(created.user).toMatchObject({ username: "ts-user", is_admin: false });
    const user = new MlflowClient({
      trackingUri: server.url,
      maxRetries: 0,
      username: "ts-user",
      password: "ts-user-password",
    });
    const exp = await admin.createExperiment("ts-private");
    await admin.call("grantUserPermission", {
      username: "ts-user",
      resource_type: "experiment",
      resource_id: exp,
      permission: "DENY",
    });
    const got = await admin.call("getUserPermission", {
      username: "ts-user",
      resource_type: "experiment",
      resource_id: exp,
    });
    expect(got).toEqual({ allowed: false, permission: "DENY" });
    await expect(user.getExperiment(exp)).rejects.toBeInstanceOf(MlflowApiError);

    const { token } = await user.call("createApiToken", { name: "ts" });
    const viaToken = new MlflowClient({ trackingUri: server.url, maxRetries: 0, token });
    expect((await viaToken.call("getCurrentUser")).user.username).toBe("ts-user");
    const nobody = new MlflowClient({ trackingUri: server.url, maxRetries: 0 });
    await expect(nobody.searchExperiments()).rejects.toThrow();
  }, 60_000);
});
