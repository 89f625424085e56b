// @vitest-environment happy-dom
import type { ReactiveController, ReactiveControllerHost } from "lit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { basicOf, localServer } from "../auth/local-server.test-helpers.js";
import { clearCredentials, saveCredentials } from "../auth/session.js";

/** A host that counts the re-renders it is asked for. */
function host() {
  const controllers: ReactiveController[] = [];
  const h = {
    updates: 0,
    controllers,
    addController: (c: ReactiveController) => void controllers.push(c),
    removeController: () => {},
    requestUpdate: () => void h.updates++,
    updateComplete: Promise.resolve(true),
  };
  return h as typeof h & ReactiveControllerHost;
}

describe("ImageSources", () => {
  let srv: Awaited<ReturnType<typeof localServer>>;
  beforeAll(async () => {
    // A server like tracklite with basic auth: get-artifact answers 401 without the credentials.
    srv = await localServer((req) =>
      basicOf(req) === "ann:pw"
        ? { status: 200, headers: { "Content-Type": "image/png" }, body: "PNGDATA" }
        : { status: 401, body: "You are not authenticated." },
    );
    (window as unknown as { happyDOM: { setURL(u: string): void } }).happyDOM.setURL(`${srv.url}/`);
  });
  afterAll(async () => {
    clearCredentials();
    await srv.close();
  });

  it("gives the plain get-artifact URL when signed out, a blob: URL fetched with the credentials when signed in", async () => {
    const { ImageSources } = await import("./image-grid-sources.js");
    const h = host();
    const sources = new ImageSources(h);
    const path = "images/k+step+1+timestamp+2+u+compressed.webp";
    expect(sources.src("r1", path)).toBe(`${srv.url}/get-artifact?${new URLSearchParams({ path, run_uuid: "r1" })}`);
    expect(srv.seen).toHaveLength(0);

    saveCredentials({ kind: "basic", username: "ann", password: "pw" });
    expect(sources.src("r1", path)).toBe("");
    await expect.poll(() => h.updates).toBe(1);
    const blob = sources.src("r1", path);
    expect(blob).toMatch(/^blob:/);
    expect(srv.seen).toHaveLength(1);
    expect(basicOf(srv.seen[0] as never)).toBe("ann:pw");
    expect(new URL(srv.seen[0]?.url ?? "", srv.url).searchParams.get("path")).toBe(path);
    // One fetch per file, however often the grid renders it.
    expect(sources.src("r1", path)).toBe(blob);
    expect(srv.seen).toHaveLength(1);
    h.controllers[0]?.hostDisconnected?.();
    expect(sources.src("r1", path)).toBe("");
  });
});
