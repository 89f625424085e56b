// @vitest-environment happy-dom
import { afterEach, describe, expect, it, vi } from "vitest";
import { mount, shadowText as text } from "../dom.test-helpers.js";
import type { UserPermission } from "./auth-api.js";

// The elements under test render from their properties; none of these tests reaches the server.
vi.mock("../api.js", () => ({ client: {} }));
await import("./grant-form.js");
await import("./permission-table.js");
await import("./sign-in-page.js");
await import("./user-menu.js");
await import("./password-dialog.js");

afterEach(() => {
  document.body.innerHTML = "";
});

type El = HTMLElement & { updateComplete: Promise<unknown> };
const buttons = (el: Element) => [...(el.shadowRoot?.querySelectorAll("button") ?? [])];
const button = (el: Element, label: string) => buttons(el).find((b) => b.textContent?.trim() === label);

describe("tl-permission-table", () => {
  const rows: UserPermission[] = [
    {
      role_id: 2,
      role_name: "__user_2__",
      workspace: "default",
      resource_type: "experiment",
      resource_pattern: "7",
      permission: "READ",
    },
    {
      role_id: 3,
      role_name: "readers",
      workspace: "default",
      resource_type: "registered_model",
      resource_pattern: "*",
      permission: "EDIT",
    },
  ];

  it("shows direct grants (revocable) apart from role grants", async () => {
    const el = await mount<El>("tl-permission-table", { rows, revocable: true });
    const captions = [...(el.shadowRoot?.querySelectorAll("caption") ?? [])].map((c) => c.textContent);
    expect(captions).toEqual(["Direct grants", "From roles"]);
    expect(text(el)).toContain("Experiment 7");
    expect(text(el)).toContain("All registered models");
    const revoked: UserPermission[] = [];
    el.addEventListener("revoke", (e) => revoked.push((e as CustomEvent<UserPermission>).detail));
    const revoke = el.shadowRoot?.querySelectorAll<HTMLButtonElement>("button[aria-label^=Revoke]");
    expect(revoke?.length).toBe(1);
    revoke?.[0]?.click();
    expect(revoked).toEqual([rows[0]]);
  });

  it("says when there is nothing granted, and offers no revoke when read-only", async () => {
    expect(text(await mount("tl-permission-table", { rows: [] }))).toContain("No grants");
    const el = await mount("tl-permission-table", { rows });
    expect(el.shadowRoot?.querySelectorAll("button").length).toBe(0);
  });
});

describe("tl-grant-form", () => {
  it("fires grant with the type, the trimmed id and the level, and clears the id when done", async () => {
    const el = await mount<El & { done(): void }>("tl-grant-form", {});
    const root = el.shadowRoot as ShadowRoot;
    const levels = [...root.querySelectorAll("select[name=permission] option")].map((o) => o.textContent);
    expect(levels).toEqual(["READ", "USE", "EDIT", "MANAGE", "DENY"]);
    const grants: unknown[] = [];
    el.addEventListener("grant", (e) => grants.push((e as CustomEvent).detail));
    (root.querySelector("select[name=resource_type]") as HTMLSelectElement).value = "registered_model";
    const id = root.querySelector("input[name=resource_id]") as HTMLInputElement;
    id.value = "  iris ";
    (root.querySelector("select[name=permission]") as HTMLSelectElement).value = "EDIT";
    root.querySelector("form")?.requestSubmit();
    expect(grants).toEqual([{ resource_type: "registered_model", resource_id: "iris", permission: "EDIT" }]);
    el.done();
    expect(id.value).toBe("");
  });
});

describe("tl-sign-in-page", () => {
  it("asks for a username and password, or a token instead", async () => {
    const el = await mount<El>("tl-sign-in-page", {});
    const names = () => [...(el.shadowRoot?.querySelectorAll("input") ?? [])].map((i) => i.name);
    expect(names()).toEqual(["username", "password"]);
    button(el, "Use a token")?.click();
    await el.updateComplete;
    expect(names()).toEqual(["token"]);
    button(el, "Use a username and password")?.click();
    await el.updateComplete;
    expect(names()).toEqual(["username", "password"]);
  });
});

describe("tl-sign-in-page outcomes", () => {
  type SignIn = El & { verify: (c: unknown) => Promise<unknown> };
  const submit = async (el: SignIn, username: string, password: string) => {
    const root = el.shadowRoot as ShadowRoot;
    (root.querySelector("input[name=username]") as HTMLInputElement).value = username;
    (root.querySelector("input[name=password]") as HTMLInputElement).value = password;
    root.querySelector("form")?.requestSubmit();
    for (let i = 0; i < 3; i++) await el.updateComplete;
  };
  const alert = (el: Element) => el.shadowRoot?.querySelector("[role=alert]")?.textContent?.trim();
  const signInButton = (el: Element) => el.shadowRoot?.querySelector<HTMLButtonElement>("button[type=submit]");

  afterEach(() => {
    vi.useRealTimers();
    sessionStorage.clear();
  });

  it("says a password is wrong, and keeps nothing", async () => {
    const el = await mount<SignIn>("tl-sign-in-page", {
      verify: async () => ({ ok: false, reason: "rejected", message: "Wrong username or password." }),
    });
    await submit(el, "ann", "nope");
    expect(alert(el)).toBe("Wrong username or password.");
    expect(sessionStorage.length).toBe(0);
  });

  it("after a 429 says how long to wait, counts down, and allows a new try at zero", async () => {
    vi.useFakeTimers();
    const el = await mount<SignIn>("tl-sign-in-page", {
      verify: async () => ({
        ok: false,
        reason: "throttled",
        message: "Too many attempts. Try again in 2 s.",
        retryAfter: 2,
      }),
    });
    await submit(el, "ann", "nope");
    expect(alert(el)).toBe("Too many attempts. Try again in 2 s.");
    expect(signInButton(el)?.disabled).toBe(true);
    await vi.advanceTimersByTimeAsync(1000);
    await el.updateComplete;
    expect(alert(el)).toBe("Too many attempts. Try again in 1 s.");
    await vi.advanceTimersByTimeAsync(1000);
    await el.updateComplete;
    expect(alert(el)).toBeUndefined();
    expect(signInButton(el)?.disabled).toBe(false);
  });

  it("keeps the credentials for the tab and fires signed-in with the user", async () => {
    const current = { user: { id: 1, username: "ann", is_admin: false }, is_basic_auth: true };
    const el = await mount<SignIn>("tl-sign-in-page", { verify: async () => ({ ok: true, current }) });
    const got: unknown[] = [];
    el.addEventListener("signed-in", (e) => got.push((e as CustomEvent).detail));
    await submit(el, "ann", "right-password");
    expect(got).toEqual([current]);
    expect(JSON.parse(sessionStorage.getItem("tracklite.auth") ?? "{}")).toEqual({
      kind: "basic",
      username: "ann",
      password: "right-password",
    });
    expect(localStorage.length).toBe(0);
  });
});

describe("tl-user-menu", () => {
  const open = async (is_admin: boolean, is_basic_auth = true) => {
    const el = await mount<El>("tl-user-menu", {
      current: { user: { id: 1, username: "ann", is_admin }, is_basic_auth },
    });
    el.shadowRoot?.querySelector<HTMLButtonElement>("button[aria-haspopup=menu]")?.click();
    await el.updateComplete;
    const items = [...(el.shadowRoot?.querySelectorAll('[role="menuitem"]') ?? [])].map((i) => i.textContent?.trim());
    return { el, items };
  };

  it("shows the admin page only to admins, and fires sign-out", async () => {
    const admin = await open(true);
    expect(admin.items).toEqual(["Your permissions", "Users and roles", "Change password", "Sign out"]);
    const user = await open(false);
    expect(user.items).toEqual(["Your permissions", "Change password", "Sign out"]);
    let signedOut = 0;
    user.el.addEventListener("sign-out", () => signedOut++);
    button(user.el, "Sign out")?.click();
    await user.el.updateComplete;
    expect(signedOut).toBe(1);
    expect(user.el.shadowRoot?.querySelector('[role="menu"]')).toBeNull();
  });

  it("offers no password change when the server does not use basic auth", async () => {
    const { items } = await open(false, false);
    expect(items).toEqual(["Your permissions", "Sign out"]);
  });
});

describe("tl-password-dialog", () => {
  it("asks for the current password when it is your own, and refuses a short or mistyped one before any call", async () => {
    const el = await mount<El & { open(): void }>("tl-password-dialog", { username: "ann", self: true });
    el.open();
    await el.updateComplete;
    const root = el.shadowRoot as ShadowRoot;
    const names = [...root.querySelectorAll("input:not([hidden])")].map((i) => (i as HTMLInputElement).name);
    expect(names).toEqual(["current", "password", "confirm"]);
    const fill = (name: string, value: string) => {
      (root.querySelector(`input[name=${name}]`) as HTMLInputElement).value = value;
    };
    const save = () => button(el, "Change password")?.click();
    fill("current", "old-password-1");
    fill("password", "short");
    fill("confirm", "short");
    save();
    await el.updateComplete;
    expect(root.querySelector("[role=alert]")?.textContent).toBe("Use at least 12 characters.");
    fill("password", "long-enough-pw");
    fill("confirm", "long-enough-px");
    save();
    await el.updateComplete;
    expect(root.querySelector("[role=alert]")?.textContent).toBe("The two passwords differ.");
  });

  it("resets someone else's password without asking for theirs", async () => {
    const el = await mount<El & { open(): void }>("tl-password-dialog", { username: "bob" });
    el.open();
    await el.updateComplete;
    expect(el.shadowRoot?.querySelector("input[name=current]")).toBeNull();
    expect(el.shadowRoot?.querySelector("tl-dialog")?.heading).toBe("Reset password of bob");
    expect(button(el, "Reset password")).toBeDefined();
  });
});
