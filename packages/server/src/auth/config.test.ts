import { describe, expect, it } from "vitest";
import { AuthConfigError, parseIniSection, readAuthConfig } from "./config.js";

const base = { defaultDatabaseUri: "file:mlruns/basic_auth.db" };

describe("auth configuration", () => {
  it("defaults as the reference's basic_auth.ini, without an admin password", () => {
    const c = readAuthConfig({ ...base, env: {} });
    expect(c).toMatchObject({
      defaultPermission: "READ",
      databaseUri: "file:mlruns/basic_auth.db",
      adminUsername: "admin",
      adminPassword: undefined,
    });
  });

  it("reads the ini file and lets the variables win, even empty ones", () => {
    const iniText = `[mlflow]
default_permission = EDIT
database_uri = sqlite:////srv/auth.db
admin_username = root
admin_password = from-the-ini-file
# a comment
`;
    const fromIni = readAuthConfig({ ...base, env: {}, iniText });
    expect(fromIni).toMatchObject({
      defaultPermission: "EDIT",
      databaseUri: "file:/srv/auth.db",
      adminUsername: "root",
      adminPassword: "from-the-ini-file",
    });
    const fromEnv = readAuthConfig({ ...base, env: { MLFLOW_AUTH_ADMIN_PASSWORD: "" }, iniText });
    expect(fromEnv.adminPassword).toBeUndefined();
  });

  it("refuses settings tracklite cannot honour", () => {
    expect(() => readAuthConfig({ ...base, env: {}, iniText: "[other]\na = b\n" })).toThrow(AuthConfigError);
    expect(() => readAuthConfig({ ...base, env: {}, iniText: "[mlflow]\ndefault_permission = ALL\n" })).toThrow(
      "Invalid default_permission 'ALL'",
    );
    expect(() =>
      readAuthConfig({ ...base, env: {}, iniText: "[mlflow]\nauthorization_function = my.module:auth\n" }),
    ).toThrow("authorization_function");
  });

  it("parses one section of an ini file", () => {
    expect(parseIniSection("[a]\nx=1\n[b]\nx : 2\n", "b")?.get("x")).toBe("2");
  });
});
