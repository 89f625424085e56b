import { describe, expect, it } from "vitest";
import { isLocalUri, resolveUriIfLocal } from "./local-uri.js";

describe("resolveUriIfLocal", () => {
  it("makes relative paths and file: URIs absolute against the working directory, as the reference does", () => {
    expect(resolveUriIfLocal("my_location", "/srv/x")).toBe("/srv/x/my_location");
    expect(resolveUriIfLocal("./a//b/./c/", "/srv/x")).toBe("/srv/x/a/b/c");
    expect(resolveUriIfLocal("../up", "/srv/x")).toBe("/srv/x/../up");
    expect(resolveUriIfLocal("my%20dir", "/srv/x")).toBe("/srv/x/my dir");
    expect(resolveUriIfLocal("file:rel/dir", "/srv/x")).toBe("file:///srv/x/rel/dir");
    expect(resolveUriIfLocal("file:rel?q=1#f", "/srv/x")).toBe("file:///srv/x/rel?q=1#f");
  });

  it("leaves absolute paths and other schemes as given", () => {
    for (const uri of [
      "/abs/path",
      "file:///abs/path",
      "file://localhost/abs",
      "s3://bucket/p",
      "mlflow-artifacts:/x",
    ]) {
      expect(resolveUriIfLocal(uri, "/srv/x")).toBe(uri);
    }
  });

  it("refuses a file: URI naming another host with the reference's message", () => {
    expect(() => isLocalUri("file://123.456.789.123/path/to/source")).toThrow(
      "file://123.456.789.123/path/to/source is not a valid remote uri. For remote access on windows, please consider using a different scheme such as SMB (e.g. smb://<hostname>/<path>).",
    );
    expect(isLocalUri("file://LOCALHOST:5000/p")).toBe(true);
    expect(isLocalUri("file://127.0.0.1/p")).toBe(true);
    expect(isLocalUri("http://host/p")).toBe(false);
  });
});
