import type { RegisteredModel } from "@tracklite/schemas";
import { css, html, LitElement, type PropertyValues } from "lit";
import { client } from "../api.js";
import "../components/time.js";
import { icons } from "../components/icons.js";
import { SlashFocus } from "../components/slash-focus.js";
import { TokenPages } from "../components/token-pages.js";
import "../registry/create-model-dialog.js";
import { serverBase } from "../lib/server-base.js";
import type { TlCreateModelDialog } from "../registry/create-model-dialog.js";
import {
  excerpt,
  latestVersion,
  MODEL_SORTS,
  type ModelSort,
  modelSearchFilter,
  parseModelSort,
  toggleModelSort,
} from "../registry/model-filters.js";
import { aliasesCell, modelListStyles, tagsCell } from "../registry/model-list.js";
import { href, navigate, seg } from "../router.js";
import { shared } from "../styles.js";

const PAGE_SIZE = 25;

/**
 * `#/models`: the registered models, searched by name, sorted and paged on the server. The URL holds the search
 * (`q`), the sort (`sort`) and the page token (`token`). Prompts have a page of their own (`#/prompts`); the old
 * `#/models?tab=prompts` link goes there.
 */
export class TlModelsPage extends LitElement {
  static override properties = {
    params: { attribute: false },
    query: { attribute: false },
  };
  declare params: Record<string, string>;
  declare query: URLSearchParams;
  private list = new TokenPages<RegisteredModel>(this, () =>
    client.searchRegisteredModels({
      filterString: modelSearchFilter(this.q),
      orderBy: [MODEL_SORTS[this.sort]],
      maxResults: PAGE_SIZE,
      pageToken: this.token || undefined,
    }),
  );

  static override styles = [
    shared,
    modelListStyles,
    css`
      .head { display: flex; align-items: center; gap: 8px; }
      .head h1 { margin: 0; }
      .toolbar { margin-top: 10px; }
      th, td { height: 20px; }
      th button.sort {
        border: 0; background: none; padding: 0; font: inherit; color: inherit; font-weight: 600; display: inline-flex;
        gap: 4px; align-items: center;
      }
      th button.sort:hover { color: var(--tl-fg); }
    `,
  ];

  constructor() {
    super();
    this.params = {};
    this.query = new URLSearchParams();
    // `/` focuses the search box.
    new SlashFocus(this, () => this.renderRoot.querySelector<HTMLInputElement>("input[type=search]")?.focus());
  }

  private get q() {
    return this.query.get("q") ?? "";
  }
  private get sort(): ModelSort {
    return parseModelSort(this.query.get("sort"));
  }
  private get token() {
    return this.query.get("token") ?? "";
  }
  private get key() {
    return [this.q, this.sort, this.token].join("\u0000");
  }

  override willUpdate(changed: PropertyValues<this>) {
    if (changed.has("query") && this.query.get("tab") === "prompts") {
      navigate("/prompts", { q: this.q }, true);
      return;
    }
    if (changed.has("query")) this.list.sync(this.key);
  }

  /** Writes a view change into the URL; any change but paging starts again at the first page. */
  private setView(changes: Record<string, string | undefined>, paging = false) {
    if (!paging) this.list.restart();
    const next: Record<string, string | undefined> = {
      q: this.q,
      sort: this.sort === "name" ? undefined : this.sort,
      token: paging ? this.token : undefined,
      ...changes,
    };
    navigate("/models", next, true);
  }

  private onSearch(e: InputEvent) {
    const value = (e.target as HTMLInputElement).value;
    this.list.debounce(() => this.setView({ q: value }));
  }

  private sortHeader(label: string, column: "name" | "updated") {
    const s = this.sort;
    const active = s === column || s === `-${column}`;
    const desc = s.startsWith("-");
    return html`<th aria-sort=${active ? (desc ? "descending" : "ascending") : "none"}>
      <button class="sort" title="Sort by ${label.toLowerCase()}" @click=${() =>
        this.setView({ sort: toggleModelSort(s, column) })}>
        ${label} ${active ? (desc ? "↓" : "↑") : ""}
      </button>
    </th>`;
  }

  private renderRow(m: RegisteredModel) {
    const latest = latestVersion(m);
    const base = `/models/${seg(m.name)}`;
    const versionHref = (v: string) => href(`${base}/versions/${seg(v)}`);
    return html`<tr>
      <td><a class="name" href=${href(base)} title=${m.name}>${m.name}</a></td>
      <td>
        ${
          latest
            ? html`<a href=${versionHref(latest.version)}>Version ${latest.version}</a>`
            : html`<span class="muted">—</span>`
        }
      </td>
      ${aliasesCell(m)} ${tagsCell(m)}
      <td><tl-time .ms=${m.last_updated_timestamp}></tl-time></td>
      <td class="muted" title=${m.description ?? ""}>${excerpt(m.description)}</td>
    </tr>`;
  }

  private renderEmpty() {
    if (this.q) return html`<p class="empty muted">No models match “${this.q}”.</p>`;
    const uri = serverBase();
    return html`<div class="empty">
          <p>No registered models yet. Register one from a run's page (Register model), or from Python:</p>
          <pre>import mlflow
mlflow.set_tracking_uri("${uri}")
mlflow.register_model("runs:/&lt;run_id&gt;/model", "my-model")</pre>
        </div>`;
  }

  private renderTable() {
    return this.list.view({
      key: this.key,
      label: "Loading models",
      current: this.token,
      go: (token) => this.setView({ token }, true),
      empty: () => this.renderEmpty(),
      columns: () => html`
        <colgroup>
          <col style="width:19%" /><col style="width:10%" /><col style="width:18%" /><col style="width:19%" />
          <col style="width:11%" /><col />
        </colgroup>
        <thead>
          <tr>
            ${this.sortHeader("Name", "name")}
            <th>Latest version</th>
            <th>Aliases</th>
            <th>Tags</th>
            ${this.sortHeader("Last modified", "updated")}
            <th>Description</th>
          </tr>
        </thead>`,
      rows: (models) => models.map((m) => this.renderRow(m)),
    });
  }

  override render() {
    return html`
      <div class="head">
        <h1>Models</h1>
        <span class="spacer"></span>
        <button class="primary" @click=${() =>
          this.renderRoot.querySelector<TlCreateModelDialog>("tl-create-model-dialog")?.open()}>
          Create model
        </button>
      </div>
      <div class="toolbar">
        <label class="search">
          ${icons.search}
          <input
            type="search"
            placeholder="Search models by name"
            aria-label="Search models by name"
            .value=${this.q}
            @input=${this.onSearch}
          />
        </label>
        <span class="muted">Press <kbd>/</kbd> to search</span>
      </div>
      ${this.renderTable()}
      <tl-create-model-dialog
        @created=${(e: CustomEvent<{ name: string }>) => navigate(`/models/${seg(e.detail.name)}`)}
      ></tl-create-model-dialog>
    `;
  }
}
customElements.define("tl-models-page", TlModelsPage);
