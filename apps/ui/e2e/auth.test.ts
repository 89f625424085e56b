import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { crc32, deflateSync } from "node:zlib";
import type { Locator, Page, Request } from "playwright-core";
import { afterAll, beforeAll, expect, test } from "vitest";
import { type AuthServer, call, startAuthServer } from "./auth-server.js";
import { ctx, e2eSuite, textOf } from "./harness.js";

/**
 * Sign-in and user administration against a server with MLflow's basic auth (tracklite by default; set
 * TRACKLITE_AUTH_SERVER=reference for the reference MLflow server): the sign-in page on a 401, a wrong then a right password, the admin
 * creating a user and granting READ on an experiment, that user seeing exactly their grants, and signing out.
 */
/** A grey PNG of the given size (the image artifact). */
function png(width: number, height: number): Buffer {
  const chunk = (type: string, data: Buffer) => {
    const body = Buffer.concat([Buffer.from(type, "latin1"), data]);
    const out = Buffer.alloc(body.length + 8);
    out.writeUInt32BE(data.length, 0);
    body.copy(out, 4);
    out.writeUInt32BE(crc32(body), body.length + 4);
    return out;
  };
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr.set([8, 0, 0, 0, 0], 8); // 8-bit greyscale
  const rows = Buffer.alloc((width + 1) * height, 0x80);
  for (let y = 0; y < height; y++) rows[y * (width + 1)] = 0; // filter byte: none
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk("IHDR", ihdr),
    chunk("IDAT", deflateSync(rows)),
    chunk("IEND", Buffer.alloc(0)),
  ]);
}

/** The reference hashes passwords slowly on a busy machine: waits here allow a minute. */
const WAIT = 60_000;
const see = (locator: Locator) => expect.poll(() => textOf(locator), { timeout: WAIT, interval: 200 });

e2eSuite("sign-in and user administration (basic auth)", (ui) => {
  let srv: AuthServer;
  const alice = { username: "alice-e2e", password: "alice-password-1" };
  const experiments: Record<string, string> = {};
  let runId = "";
  const image = png(24, 16);

  beforeAll(async () => {
    srv = await startAuthServer(ctx.python);
    await fresh();
    for (const name of ["shared-exp", "private-exp"]) {
      const r = await call<{ experiment_id: string }>(srv, srv.admin, "POST", "/2.0/mlflow/experiments/create", {
        name,
      });
      experiments[name] = r.experiment_id;
    }
    // A run with an image artifact, uploaded through the server's artifact proxy.
    const run = await call<{ run: { info: { run_id: string; artifact_uri: string } } }>(
      srv,
      srv.admin,
      "POST",
      "/2.0/mlflow/runs/create",
      { experiment_id: experiments["shared-exp"], run_name: "with-image", start_time: Date.now() },
    );
    runId = run.run.info.run_id;
    const path = run.run.info.artifact_uri.replace(/^mlflow-artifacts:\/+/, "");
    const auth = `Basic ${Buffer.from(`${srv.admin.username}:${srv.admin.password}`).toString("base64")}`;
    const put = await fetch(`${srv.apiUrl}/api/2.0/mlflow-artifacts/artifacts/${path}/sample.png`, {
      method: "PUT",
      headers: { Authorization: auth },
      body: new Uint8Array(image),
    });
    expect(put.status).toBe(200);
  });
  afterAll(() => srv?.stop());

  const fresh = async () => {
    await ui.newContext();
    ui.page.setDefaultTimeout(WAIT);
  };
  const open = async (route: string) => {
    await ui.page.goto("about:blank");
    await ui.page.goto(`${srv.uiUrl}/#${route}`);
  };
  const signInForm = () => ui.page.getByRole("form", { name: "Sign in" });
  const signIn = async (page: Page, who: { username: string; password: string }) => {
    await page.getByLabel("Username", { exact: true }).fill(who.username);
    await page.getByLabel("Password", { exact: true }).fill(who.password);
    await page.getByRole("button", { name: "Sign in", exact: true }).click();
  };
  const userMenu = () => ui.page.locator("tl-user-menu button[aria-haspopup=menu]");
  const experimentsTable = () => ui.page.locator("tl-experiments-page table");
  const stored = () =>
    ui.page.evaluate(() => ({ session: sessionStorage.getItem("tracklite.auth"), local: { ...localStorage } }));

  test("a 401 shows the sign-in page; a wrong password says so, the right one signs in", async () => {
    await fresh();
    const page = ui.page;
    const apiCalls: Request[] = [];
    page.on("request", (r) => {
      if (new URL(r.url()).pathname.startsWith("/ajax-api/")) apiCalls.push(r);
    });
    await open("/");
    await see(signInForm()).toContain("Sign in to tracklite");
    // The first calls went out without credentials and were refused; nothing of the experiments list shows.
    expect(await experimentsTable().count()).toBe(0);
    await ui.shot("auth-sign-in");

    await signIn(page, { username: srv.admin.username, password: "not-the-password" });
    await see(signInForm().getByRole("alert")).toBe("Wrong username or password.");
    expect((await stored()).session).toBeNull();
    await ui.shot("auth-sign-in-wrong-password");

    await signIn(page, srv.admin);
    await see(experimentsTable()).toContain("shared-exp");
    await see(userMenu()).toContain("admin");
    const { session, local } = await stored();
    expect(JSON.parse(session ?? "{}")).toEqual({ kind: "basic", ...srv.admin });
    expect(JSON.stringify(local)).not.toContain(srv.admin.password);
    // Every API call is marked as the UI's (so tracklite answers 401 without a browser prompt).
    expect(apiCalls.length).toBeGreaterThan(0);
    for (const r of apiCalls) expect(await r.headerValue("x-requested-with")).toBe("XMLHttpRequest");
    const signedIn = apiCalls.filter((r) => r.url().includes("/experiments/search")).at(-1);
    expect(await signedIn?.headerValue("authorization")).toMatch(/^Basic /);

    // sessionStorage lasts as long as the tab: a reload stays signed in.
    await page.reload();
    await see(experimentsTable()).toContain("private-exp");
  }, 240_000);

  test("the admin creates a user (passwords of 12 characters or more) and grants READ on an experiment", async () => {
    const page = ui.page;
    await userMenu().click();
    await page.getByRole("menuitem", { name: "Users and roles" }).click();
    await expect.poll(() => ui.route()).toBe("/admin/users");
    await see(page.getByRole("table", { name: "Users" })).toContain("admin");

    await page.getByRole("button", { name: "Create user" }).first().click();
    const dialog = page.locator("tl-create-user-dialog tl-dialog");
    await dialog.getByLabel("Username").fill(alice.username);
    await dialog.getByLabel(/^Password/).fill("too-short");
    await dialog.getByRole("button", { name: "Create user" }).click();
    await see(dialog.getByRole("alert")).toBe("Use at least 12 characters.");
    await dialog.getByLabel(/^Password/).fill(alice.password);
    await dialog.getByRole("button", { name: "Create user" }).click();
    await see(page.getByRole("table", { name: "Users" })).toContain(alice.username);
    await expect.poll(() => ui.query().get("user")).toBe(alice.username);

    const section = page.getByRole("region", { name: `Permissions of ${alice.username}` });
    await see(section).toContain("No grants");
    // By name: the form looks the experiment's id up.
    await section.getByLabel("Resource type").selectOption("experiment");
    await section.getByLabel("Id or name").fill("shared-exp");
    await section.getByLabel("Level").selectOption("READ");
    await section.getByRole("button", { name: "Grant" }).click();
    await see(section.locator("tl-permission-table")).toContain(`Experiment ${experiments["shared-exp"]}`);
    await see(section.locator("tl-permission-table")).toContain("READ");
    await ui.shot("auth-admin-users");

    const listed = await call<{
      permissions: { resource_type: string; resource_pattern: string; permission: string }[];
    }>(srv, srv.admin, "GET", `/3.0/mlflow/users/permissions/list?username=${alice.username}`);
    expect(listed.permissions.map((p) => [p.resource_type, p.resource_pattern, p.permission])).toEqual([
      ["experiment", experiments["shared-exp"], "READ"],
    ]);
  }, 240_000);

  test("the admin makes a role with a grant and gives it to the user", async () => {
    const page = ui.page;
    await page.getByRole("tab", { name: "Roles" }).click();
    await expect.poll(() => ui.route()).toBe("/admin/roles");
    const create = page.getByRole("form", { name: "Create role" });
    await create.getByLabel("Name").fill("model-readers");
    await create.getByLabel("Description").fill("Reads every registered model");
    await create.getByRole("button", { name: "Create role" }).click();
    const role = page.getByRole("region", { name: "Role model-readers" });
    await see(role).toContain("No grants yet.");
    await role.getByLabel("Resource type").selectOption("registered_model");
    await role.getByLabel("Id or name").fill("*");
    await role.getByLabel("Level").selectOption("READ");
    await role.getByRole("button", { name: "Add" }).click();
    await see(role.getByRole("table", { name: "Grants of model-readers" })).toContain("All registered models");
    await role.getByLabel("User").selectOption(alice.username);
    await role.getByRole("button", { name: "Assign" }).click();
    await see(role.getByRole("list")).toContain(alice.username);
    await ui.shot("auth-admin-roles");

    const roles = await call<{ roles: { name: string }[] }>(
      srv,
      srv.admin,
      "GET",
      `/3.0/mlflow/users/roles/list?username=${alice.username}`,
    );
    expect(roles.roles.map((r) => r.name)).toContain("model-readers");
  }, 240_000);

  test("the new user signs in, sees only what was granted, is asked again after a 401, and signs out", async () => {
    await fresh();
    const page = ui.page;
    await open("/");
    await signIn(page, alice);
    await see(experimentsTable()).toContain("shared-exp");
    expect(await experimentsTable().textContent()).not.toContain("private-exp");

    await userMenu().click();
    const menu = page.getByRole("menu", { name: "Account" });
    await see(menu).toContain("Your permissions");
    expect(await menu.getByRole("menuitem", { name: "Users and roles" }).count()).toBe(0);
    await menu.getByRole("menuitem", { name: "Your permissions" }).click();
    const account = page.locator("tl-account-page");
    await see(account).toContain(`Signed in as ${alice.username}`);
    await see(account.locator("tl-permission-table")).toContain(`Experiment ${experiments["shared-exp"]}`);
    await see(account.locator("tl-permission-table")).toContain("READ");
    await see(account.locator("tl-permission-table")).toContain("From roles");
    await see(account.locator("tl-permission-table")).toContain("All registered models");
    await ui.shot("auth-own-permissions");

    // Artifacts: the image and the download go through the client with the credentials (a plain <img src> would
    // carry none).
    await open(`/experiments/${experiments["shared-exp"]}/runs/${runId}?tab=artifacts&path=sample.png`);
    const preview = page.locator("tl-artifact-preview");
    const img = preview.locator('img[alt="sample.png"]');
    await expect.poll(() => img.evaluate((i: HTMLImageElement) => i.complete && i.naturalWidth)).toBe(24);
    expect(await img.getAttribute("src")).toMatch(/^blob:/);
    const [download] = await Promise.all([
      page.waitForEvent("download"),
      preview.getByRole("link", { name: "Download" }).click(),
    ]);
    expect(download.suggestedFilename()).toBe("sample.png");
    const saved = join(mkdtempSync(join(tmpdir(), "tracklite-ui-download-")), "sample.png");
    await download.saveAs(saved);
    expect(readFileSync(saved)).toEqual(image);
    rmSync(dirname(saved), { recursive: true });
    await ui.shot("auth-artifact-image");

    // The admin page shows a non-admin their own permissions.
    await open("/admin/users");
    await see(page.locator("tl-admin-page")).toContain("Only admins manage users and roles.");

    // A password changed elsewhere: the next call is refused, and the sign-in page comes back in place.
    const newPassword = "alice-password-2";
    await call(srv, srv.admin, "PATCH", "/2.0/mlflow/users/update-password", {
      username: alice.username,
      password: newPassword,
    });
    await page.getByRole("link", { name: "Experiments" }).click();
    await see(signInForm()).toContain("Sign in to tracklite");
    await signIn(page, { ...alice, password: newPassword });
    await see(experimentsTable()).toContain("shared-exp");

    await userMenu().click();
    await page.getByRole("menuitem", { name: "Sign out" }).click();
    await see(signInForm()).toContain("Sign in to tracklite");
    expect((await stored()).session).toBeNull();
    expect(await userMenu().count()).toBe(0);
    await page.reload();
    await see(signInForm()).toContain("Sign in to tracklite");
    await ui.shot("auth-signed-out");
  }, 240_000);
});
