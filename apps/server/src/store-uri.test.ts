import { describe, expect, it } from "vitest";
import { redactUri, toLibsqlUrl, unservedStoreUri } from "./store-uri.js";

describe("redactUri", () => {
  it("masks user info and token-like query values, and nothing else", () => {
    expect(redactUri("postgresql://u:secretpw@host:5432/db")).toBe("postgresql://***@host:5432/db");
    expect(redactUri("mysql+pymysql://only-user@host/db")).toBe("mysql+pymysql://***@host/db");
    expect(redactUri("libsql://db.turso.io?authToken=eyJ.abc&tls=1")).toBe("libsql://db.turso.io?authToken=***&tls=1");
    expect(redactUri("file:./mlruns/tracklite.db")).toBe("file:./mlruns/tracklite.db");
    expect(redactUri("http://127.0.0.1:8080/p@th")).toBe("http://127.0.0.1:8080/p@th");
  });
});

describe("unservedStoreUri", () => {
  it("accepts files, sqlite:/// and libSQL servers", () => {
    for (const uri of ["./x.db", "/abs/x.db", "file:x.db", "sqlite:///x.db", "libsql://h", "https://h", "wss://h"])
      expect(unservedStoreUri(uri), uri).toBeUndefined();
  });

  it("refuses other schemes by name, without their credentials", () => {
    const message = unservedStoreUri("postgresql://u:secretpw@host/db");
    expect(message).toMatch(/^Invalid value for '--backend-store-uri': postgresql:\/\/\*\*\*@host\/db: .*postgresql/);
    expect(message).not.toContain("secretpw");
    expect(unservedStoreUri("mssql+pyodbc://h/db")).toMatch(/does not serve mssql databases/);
    expect(unservedStoreUri("sqlite://x.db")).toMatch(/three slashes/);
  });

  it("leaves sqlite:/// paths to toLibsqlUrl", () => {
    expect(toLibsqlUrl("sqlite:////proc/nope/x.db")).toBe("file:/proc/nope/x.db");
    expect(toLibsqlUrl("mlflow.db")).toBe("file:mlflow.db");
  });
});
