import { css, html, LitElement } from "lit";
import { icons } from "../components/icons.js";
import { shared } from "../styles.js";
import "./password-dialog.js";
import type { TlPasswordDialog } from "./password-dialog.js";
import type { CurrentUser } from "./session.js";

/**
 * The signed-in user in the header: their name opens a menu with their permissions, the admin page (admins only),
 * "Change password" (basic auth only) and "Sign out" (fires `sign-out`). Arrow keys move through the items, Esc
 * closes and gives focus back to the button.
 */
export class TlUserMenu extends LitElement {
  static override properties = { current: { attribute: false }, expanded: { state: true } };
  declare current: CurrentUser | undefined;
  declare expanded: boolean;

  static override styles = [
    shared,
    css`
      :host { position: relative; display: inline-block; }
      .trigger { display: inline-flex; align-items: center; gap: 6px; }
      [role="menu"] {
        position: absolute; right: 0; top: calc(100% + 4px); min-width: 200px; padding: 4px; z-index: 20;
        background: var(--tl-bg); border: 1px solid var(--tl-border); border-radius: var(--tl-radius);
        box-shadow: var(--tl-shadow); display: flex; flex-direction: column;
      }
      [role="menuitem"] {
        display: block; text-align: left; border: 0; background: none; color: var(--tl-fg); padding: 5px 10px;
        border-radius: var(--tl-radius); font: inherit;
      }
      [role="menuitem"]:hover, [role="menuitem"]:focus { background: var(--tl-bg-hover); text-decoration: none; }
      .who { padding: 5px 10px; font-size: 12px; border-bottom: 1px solid var(--tl-border); margin-bottom: 4px; }
    `,
  ];

  constructor() {
    super();
    this.current = undefined;
    this.expanded = false;
  }

  override connectedCallback() {
    super.connectedCallback();
    document.addEventListener("click", this.onOutside);
  }

  override disconnectedCallback() {
    document.removeEventListener("click", this.onOutside);
    super.disconnectedCallback();
  }

  private onOutside = (e: MouseEvent) => {
    if (this.expanded && !e.composedPath().includes(this)) this.expanded = false;
  };

  private items() {
    return [...this.renderRoot.querySelectorAll<HTMLElement>('[role="menuitem"]')];
  }

  private async toggle() {
    this.expanded = !this.expanded;
    if (this.expanded) {
      await this.updateComplete;
      this.items()[0]?.focus();
    }
  }

  private close(focusTrigger = true) {
    this.expanded = false;
    if (focusTrigger) this.renderRoot.querySelector<HTMLElement>(".trigger")?.focus();
  }

  private onKey(e: KeyboardEvent) {
    const items = this.items();
    const i = items.indexOf(this.shadowRoot?.activeElement as HTMLElement);
    if (e.key === "Escape") this.close();
    else if (e.key === "ArrowDown") items[(i + 1) % items.length]?.focus();
    else if (e.key === "ArrowUp") items[(i - 1 + items.length) % items.length]?.focus();
    else return;
    e.preventDefault();
  }

  private changePassword() {
    this.close(false);
    this.renderRoot.querySelector<TlPasswordDialog>("tl-password-dialog")?.open();
  }

  private signOut() {
    this.close(false);
    this.dispatchEvent(new CustomEvent("sign-out", { bubbles: true, composed: true }));
  }

  override render() {
    const user = this.current?.user;
    if (!user) return html``;
    const basic = this.current?.is_basic_auth !== false;
    return html`<button
        class="trigger ghost"
        aria-haspopup="menu"
        aria-expanded=${this.expanded ? "true" : "false"}
        title="Signed in as ${user.username}"
        @click=${this.toggle}
      >${icons.user}<span>${user.username}</span>${icons.chevronDown}</button>
      ${
        this.expanded
          ? html`<div role="menu" aria-label="Account" @keydown=${this.onKey}>
            <div class="who muted">Signed in as <b>${user.username}</b>${user.is_admin ? " (admin)" : ""}</div>
            <a role="menuitem" href="#/account" @click=${() => this.close(false)}>Your permissions</a>
            ${
              user.is_admin
                ? html`<a role="menuitem" href="#/admin/users" @click=${() => this.close(false)}>Users and roles</a>`
                : ""
            }
            ${basic ? html`<button role="menuitem" @click=${this.changePassword}>Change password</button>` : ""}
            <button role="menuitem" @click=${this.signOut}>Sign out</button>
          </div>`
          : ""
      }
      <tl-password-dialog .username=${user.username} self></tl-password-dialog>`;
  }
}
customElements.define("tl-user-menu", TlUserMenu);

declare global {
  interface HTMLElementTagNameMap {
    "tl-user-menu": TlUserMenu;
  }
}
