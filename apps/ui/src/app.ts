import { css, html, LitElement } from "lit";
import "./pages/experiments-page.js";
import { fetchCurrentUser } from "./auth/current-user.js";
import { AUTH_REQUIRED, type CurrentUser, clearCredentials } from "./auth/session.js";
import { icons } from "./components/icons.js";
import { currentLocation, isMlflowLink, type Location, navigate } from "./router.js";
import { shared } from "./styles.js";
import { setTheme, type ThemeChoice, themeChoice } from "./theme.js";

const THEMES: ThemeChoice[] = ["system", "light", "dark"];
const THEME_LABEL: Record<ThemeChoice, string> = { system: "System", light: "Light", dark: "Dark" };
const isMac = /Mac|iPhone|iPad/.test(navigator.platform);

/**
 * The frame: a header (navigation, theme switch, command palette) and the current page. The page element is kept
 * while the route's tag stays the same (only its `params` and `query` change), so a page keeps its state when it
 * writes its view into the URL. `?embed=1` (in the hash query) drops the frame.
 *
 * On a server with MLflow's basic auth, a 401 from any call puts the sign-in page in place of the page (the URL
 * stays, and the page is built afresh once signed in), and the header shows the signed-in user's menu. Without auth
 * (`users/current` is 404) there is no menu. Both auth parts are loaded only when needed.
 */
export class TlApp extends LitElement {
  static override properties = {
    loc: { state: true },
    loading: { state: true },
    theme: { state: true },
    current: { state: true },
    signIn: { state: true },
  };
  declare loc: Location;
  declare loading: boolean;
  declare theme: ThemeChoice;
  /** The signed-in user (undefined when the server has no auth, or before it answered). */
  declare current: CurrentUser | undefined;
  /** A call answered 401: the sign-in page replaces the page. */
  declare signIn: boolean;
  private page: HTMLElement | undefined;
  /** Why an MLflow link shows no page (it names a page tracklite does not have). */
  private linkNote: string | undefined;

  static override styles = [
    shared,
    css`
      :host { display: flex; flex-direction: column; min-height: 100vh; --tl-header-h: 44px; }
      :host([embed]) { --tl-header-h: 0px; }
      header {
        display: flex; align-items: center; gap: 16px; padding: 0 16px; height: 44px;
        border-bottom: 1px solid var(--tl-border); background: var(--tl-bg-alt); position: sticky; top: 0; z-index: 10;
      }
      header .logo { font-weight: 700; color: var(--tl-fg); display: flex; gap: 6px; align-items: center; }
      header nav a { color: var(--tl-muted); padding: 4px 6px; border-radius: var(--tl-radius); }
      header nav a[aria-current="page"] { color: var(--tl-fg); background: var(--tl-bg-hover); }
      main { flex: 1; padding: 16px; min-width: 0; }
      :host([embed]) main { padding: 8px; }
      .palette-button { display: inline-flex; align-items: center; gap: 8px; color: var(--tl-muted); min-width: 220px; }
      .palette-button kbd { margin-left: auto; }
      .theme-button { display: inline-flex; align-items: center; gap: 6px; }
    `,
  ];

  constructor() {
    super();
    this.loc = currentLocation();
    this.loading = false;
    this.theme = themeChoice();
    this.current = undefined;
    this.signIn = false;
  }

  override connectedCallback() {
    super.connectedCallback();
    window.addEventListener("hashchange", this.onHash);
    window.addEventListener("keydown", this.onKey);
    window.addEventListener(AUTH_REQUIRED, this.onAuthRequired);
    this.showPage();
    void this.loadUser();
  }

  override disconnectedCallback() {
    window.removeEventListener("hashchange", this.onHash);
    window.removeEventListener("keydown", this.onKey);
    window.removeEventListener(AUTH_REQUIRED, this.onAuthRequired);
    super.disconnectedCallback();
  }

  private onHash = () => {
    this.loc = currentLocation();
    this.showPage();
  };

  /** Who is signed in (no menu when the server has no auth; a 401 has already asked for the sign-in page). */
  private async loadUser() {
    const current = await fetchCurrentUser().catch(() => undefined);
    if (current) await import("./auth/user-menu.js");
    this.current = current;
  }

  private onAuthRequired = () => {
    if (this.signIn) return;
    this.signIn = true;
    this.current = undefined;
    void import("./auth/sign-in-page.js");
  };

  private onSignedIn = async (e: CustomEvent<CurrentUser | undefined>) => {
    if (e.detail) await import("./auth/user-menu.js");
    this.current = e.detail;
    this.signIn = false;
    // The page that was refused is built anew, so it loads its data with the credentials.
    this.page = undefined;
    void this.showPage();
  };

  private onSignOut = () => {
    clearCredentials();
    this.current = undefined;
    this.page = undefined;
    this.onAuthRequired();
  };

  private cycleTheme() {
    const next = THEMES[(THEMES.indexOf(this.theme) + 1) % THEMES.length] ?? "system";
    setTheme(next);
    this.theme = next;
  }

  private onKey = (e: KeyboardEvent) => {
    if ((e.ctrlKey || e.metaKey) && e.key.toLowerCase() === "k" && !this.hasAttribute("embed")) {
      e.preventDefault();
      void this.openPalette();
    }
  };

  private async openPalette() {
    await import("./components/command-palette.js");
    let palette = document.querySelector("tl-command-palette") as (HTMLElement & { open(): void }) | null;
    if (!palette) {
      palette = document.createElement("tl-command-palette") as HTMLElement & { open(): void };
      document.body.append(palette);
    }
    palette.open();
  }

  private async showPage() {
    const { route, params, query } = this.loc;
    this.toggleAttribute("embed", query.get("embed") === "1" || this.loc.path.startsWith("/embed/"));
    this.linkNote = undefined;
    // links (issue 15): MLflow's own UI URLs are replaced by tracklite's URL of the same view.
    if (isMlflowLink(this.loc)) {
      const loc = this.loc;
      const { openMlflowLink } = await import("./mlflow-links-open.js");
      const outcome = await openMlflowLink(loc.path, loc.query);
      if (loc !== this.loc) return;
      if (outcome && "path" in outcome) return navigate(outcome.path, outcome.query, true);
      this.linkNote = outcome?.note;
    }
    if (!route) {
      this.page = undefined;
      this.requestUpdate();
      return;
    }
    if (route.load && !customElements.get(route.tag)) {
      this.loading = true;
      await route.load();
      this.loading = false;
    }
    if (this.page?.localName !== route.tag) this.page = document.createElement(route.tag);
    Object.assign(this.page, { params, query });
    this.requestUpdate();
  }

  private renderThemeButton() {
    const next = THEMES[(THEMES.indexOf(this.theme) + 1) % THEMES.length] ?? "system";
    const icon = this.theme === "light" ? icons.sun : this.theme === "dark" ? icons.moon : icons.monitor;
    return html`<button
      class="theme-button"
      @click=${this.cycleTheme}
      title="Theme: ${THEME_LABEL[this.theme]} (switch to ${THEME_LABEL[next]})"
      aria-label="Theme: ${THEME_LABEL[this.theme]}. Switch to ${THEME_LABEL[next]}"
    >${icon}<span>${THEME_LABEL[this.theme]}</span></button>`;
  }

  override render() {
    const embed = this.hasAttribute("embed");
    const path = this.loc.path;
    const section = path.startsWith("/models")
      ? "models"
      : path.startsWith("/prompts")
        ? "prompts"
        : path.startsWith("/admin/") || path === "/account"
          ? "account"
          : "experiments";
    return html`
      ${
        embed
          ? ""
          : html`<header>
            <a class="logo" href="#/">tracklite</a>
            <nav>
              <a href="#/experiments" aria-current=${section === "experiments" ? "page" : "false"}>Experiments</a>
              <a href="#/models" aria-current=${section === "models" ? "page" : "false"}>Models</a>
              <a href="#/prompts" aria-current=${section === "prompts" ? "page" : "false"}>Prompts</a>
            </nav>
            <span class="spacer"></span>
            <button class="palette-button" @click=${() => this.openPalette()} title="Find experiments, runs and models">
              ${icons.search} Search… <kbd>${isMac ? "⌘" : "Ctrl"} K</kbd>
            </button>
            ${this.renderThemeButton()}
            ${this.current ? html`<tl-user-menu .current=${this.current} @sign-out=${this.onSignOut}></tl-user-menu>` : ""}
          </header>`
      }
      <main>
        ${
          this.signIn
            ? html`<tl-sign-in-page @signed-in=${this.onSignedIn}></tl-sign-in-page>`
            : html`${this.loading ? html`<p class="muted">Loading…</p>` : ""}
        ${this.page ?? (this.loc.route ? "" : html`<h1>Not found</h1>${this.linkNote ? html`<p>${this.linkNote}</p>` : ""}<p><a href="#/">Back to experiments</a></p>`)}`
        }
      </main>
    `;
  }
}
customElements.define("tl-app", TlApp);
