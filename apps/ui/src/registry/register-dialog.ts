import { isMlflowApiError } from "@tracklite/client";
import { css, html, LitElement } from "lit";
import { client } from "../api.js";
import "../components/dialog.js";
import "../components/error.js";
import { href, seg } from "../router.js";
import { shared } from "../styles.js";

export interface RegisteredDetail {
  name: string;
  version: string;
}

/**
 * "Register model": registers a run's model (or a logged model) as a new version of an existing registered model,
 * or of a new one created on the way. Call `open()`; on success it fires `registered` ({name, version}) and links to
 * the new version. Server errors show inline.
 */
export class TlRegisterModelDialog extends LitElement {
  static override properties = {
    source: { attribute: false },
    runId: { attribute: false },
    modelId: { attribute: false },
    isOpen: { state: true },
    names: { state: true },
    name: { state: true },
    busy: { state: true },
    error: { state: true },
    done: { state: true },
  };
  /** What to register: `runs:/<runId>/model`, `models:/m-…`. */
  declare source: string;
  declare runId: string;
  declare modelId: string | undefined;
  declare isOpen: boolean;
  /** Names of existing registered models, for the datalist; undefined while loading. */
  declare names: string[] | undefined;
  declare name: string;
  declare busy: boolean;
  declare error: unknown;
  declare done: RegisteredDetail | undefined;

  static override styles = [
    shared,
    css`
      label { display: block; font-weight: 600; margin-bottom: 4px; }
      input { width: 100%; box-sizing: border-box; }
      .field { margin-bottom: 12px; }
      .hint { font-size: 12px; margin-top: 4px; }
      .source { word-break: break-all; }
      tl-error { margin-top: 8px; }
      .ok { color: var(--tl-ok); font-weight: 600; }
    `,
  ];

  constructor() {
    super();
    this.source = "";
    this.runId = "";
    this.modelId = undefined;
    this.isOpen = false;
    this.names = undefined;
    this.name = "";
    this.busy = false;
    this.error = undefined;
    this.done = undefined;
  }

  /** Opens the dialog afresh and loads the names of the registered models. */
  open() {
    this.isOpen = true;
    this.name = "";
    this.error = undefined;
    this.done = undefined;
    this.busy = false;
    void this.loadNames();
  }

  private async loadNames() {
    try {
      const page = await client.searchRegisteredModels({ maxResults: 1000, orderBy: ["name ASC"] });
      this.names = page.items.map((m) => m.name);
    } catch {
      // The list only offers suggestions: typing a name still works, and registering reports its own errors.
      this.names = [];
    }
  }

  private close() {
    this.isOpen = false;
  }

  private async register(e?: Event) {
    e?.preventDefault();
    const name = this.name.trim();
    if (!name || this.busy) return;
    this.busy = true;
    this.error = undefined;
    try {
      try {
        await client.getRegisteredModel(name);
      } catch (err) {
        if (!isMlflowApiError(err, "RESOURCE_DOES_NOT_EXIST")) throw err;
        await client.createRegisteredModel(name);
      }
      const mv = await client.createModelVersion(name, this.source, {
        runId: this.runId || undefined,
        modelId: this.modelId || undefined,
      });
      this.done = { name, version: mv.version };
      this.dispatchEvent(
        new CustomEvent<RegisteredDetail>("registered", { detail: this.done, bubbles: true, composed: true }),
      );
    } catch (err) {
      this.error = err;
    } finally {
      this.busy = false;
    }
  }

  private renderForm() {
    const name = this.name.trim();
    const exists = this.names?.includes(name);
    return html`<form @submit=${this.register}>
      <div class="field">
        <label for="model-name">Model name</label>
        <input
          id="model-name"
          list="registered-model-names"
          autocomplete="off"
          required
          placeholder="Pick a registered model or type a new name"
          .value=${this.name}
          @input=${(e: InputEvent) => {
            this.name = (e.target as HTMLInputElement).value;
          }}
        />
        <datalist id="registered-model-names">${(this.names ?? []).map((n) => html`<option value=${n}></option>`)}</datalist>
        <div class="hint muted">
          ${
            !name
              ? "The version is added to an existing model, or a new model is created."
              : exists
                ? `Adds a new version to ${name}.`
                : this.names
                  ? `Creates the new model ${name} with version 1.`
                  : ""
          }
        </div>
      </div>
      <div class="field">
        <label>Source</label>
        <div class="mono source">${this.source}</div>
      </div>
      ${this.error ? html`<tl-error .error=${this.error} @retry=${() => this.register()}></tl-error>` : ""}
    </form>`;
  }

  private renderDone(done: RegisteredDetail) {
    const link = href(`/models/${seg(done.name)}/versions/${seg(done.version)}`);
    return html`<p class="ok" role="status">Registered ${done.name} version ${done.version}.</p>
      <p><a href=${link} @click=${() => this.close()}>Open version ${done.version} of ${done.name}</a></p>`;
  }

  override render() {
    return html`<tl-dialog heading="Register model" ?open=${this.isOpen} @close=${this.close}>
      ${this.done ? this.renderDone(this.done) : this.renderForm()}
      ${
        this.done
          ? html`<button slot="actions" @click=${this.close}>Close</button>`
          : html`<button slot="actions" type="button" @click=${this.close}>Cancel</button>
              <button
                slot="actions"
                class="primary"
                type="button"
                ?disabled=${this.busy || !this.name.trim()}
                @click=${(e: Event) => this.register(e)}
              >${this.busy ? "Registering…" : "Register"}</button>`
      }
    </tl-dialog>`;
  }
}
customElements.define("tl-register-model-dialog", TlRegisterModelDialog);

declare global {
  interface HTMLElementTagNameMap {
    "tl-register-model-dialog": TlRegisterModelDialog;
  }
}
