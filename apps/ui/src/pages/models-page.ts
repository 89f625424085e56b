import type { RegisteredModel } from "@tracklite/schemas";
import { css, html, LitElement, type PropertyValues } from "lit";
import { client } from "../api.js";
import "../components/error.js";
import "../components/skeleton.js";
import "../components/time.js";
import { icons } from "../components/icons.js";
import { SlashFocus } from "../components/slash-focus.js";
import "../registry/create-model-dialog.js";
import { serverBase } from "../lib/server-base.js";
import type { TlCreateModelDialog } from "../registry/create-model-dialog.js";
import {
  aliasesByVersion,
  excerpt,
  latestVersion,
  MODEL_SORTS,
  type ModelSort,
  modelSearchFilter,
  parseModelSort,
  toggleModelSort,
  userTags,
} from "../registry/model-filters.js";
import { href, navigate, seg } from "../router.js";
import { shared } from "../styles.js";

const PAGE_SIZE = 25;

interface Loaded {
  key: string;
  models: RegisteredModel[];
  next: string | undefined;
}

/**
 * `#/models`: the registered models, searched by name, sorted and paged on the server. The URL holds the search
 * (`q`), the sort (`sort`) and the page token (`token`). Prompts have a page of their own (`#/prompts`); the old
 * `#/models?tab=prompts` link goes there.
 */
export class TlModelsPage extends LitElement {
  static override properties = {
    params: { attribute: false },
    query: { attribute: false },
    data: { state: true },
    loading: { state: true },
    error: { state: true },
  };
  declare params: Record<string, string>;
  declare query: URLSearchParams;
  declare data: Loaded | undefined;
  declare loading: boolean;
  declare error: unknown;
  /** Tokens of the pages before this one (the server's tokens only go forward). */
  private previous: string[] = [];
  private seq = 0;
  private typing: ReturnType<typeof setTimeout> | undefined;

  static override styles = [
    shared,
    css`
      .head { display: flex; align-items: center; gap: 8px; }
      .head h1 { margin: 0; }
      .toolbar { margin-top: 10px; }
      .search { position: relative; display: inline-flex; align-items: center; }
      .search svg { position: absolute; left: 8px; color: var(--tl-muted); }
      .search input { padding-left: 26px; width: 280px; }
      table { font-size: 12.5px; table-layout: fixed; }
      th, td { height: 20px; padding: 5px 8px; overflow: hidden; text-overflow: ellipsis; }
      th, td { white-space: nowrap; }
      td.chips { white-space: normal; }
      tbody tr:hover { background: var(--tl-bg-hover); }
      th button.sort {
        border: 0; background: none; padding: 0; font: inherit; color: inherit; font-weight: 600; display: inline-flex;
        gap: 4px; align-items: center;
      }
      th button.sort:hover { color: var(--tl-fg); }
      .chip {
        display: inline-block; border: 1px solid var(--tl-border); border-radius: 999px; padding: 0 6px; font-size: 11.5px;
        background: var(--tl-bg-alt); margin: 1px 3px 1px 0; max-width: 100%; overflow: hidden; text-overflow: ellipsis;
        vertical-align: middle;
      }
      .chip.alias { font-family: var(--tl-mono); }
      .name { font-weight: 600; }
      .stale { opacity: 0.6; }
      .pager { display: flex; align-items: center; gap: 8px; justify-content: flex-end; margin-top: 8px; }
      .empty { padding: 24px 8px; }
      pre { background: var(--tl-bg-alt); padding: 8px 12px; border-radius: var(--tl-radius); font-size: 12.5px; }
    `,
  ];

  constructor() {
    super();
    this.params = {};
    this.query = new URLSearchParams();
    this.data = undefined;
    this.loading = false;
    this.error = undefined;
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
    if (changed.has("query") && this.data?.key !== this.key) void this.load();
  }

  private async load() {
    const seq = ++this.seq;
    const key = this.key;
    this.loading = true;
    this.error = undefined;
    try {
      const page = await client.searchRegisteredModels({
        filterString: modelSearchFilter(this.q),
        orderBy: [MODEL_SORTS[this.sort]],
        maxResults: PAGE_SIZE,
        pageToken: this.token || undefined,
      });
      if (seq === this.seq) this.data = { key, models: page.items, next: page.nextPageToken || undefined };
    } catch (e) {
      if (seq === this.seq) this.error = e;
    } finally {
      if (seq === this.seq) this.loading = false;
    }
  }

  /** Writes a view change into the URL; any change but paging starts again at the first page. */
  private setView(changes: Record<string, string | undefined>, paging = false) {
    if (!paging) this.previous = [];
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
    clearTimeout(this.typing);
    this.typing = setTimeout(() => this.setView({ q: value }), 250);
  }

  private nextPage() {
    if (!this.data?.next) return;
    this.previous.push(this.token);
    this.setView({ token: this.data.next }, true);
  }

  private previousPage() {
    this.setView({ token: this.previous.pop() || undefined }, true);
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
    const byVersion = aliasesByVersion(m.aliases);
    const aliases = Object.entries(byVersion).flatMap(([v, names]) => names.map((a) => ({ a, v })));
    const tags = userTags(m);
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
      <td class="chips" title=${aliases.map(({ a, v }) => `@${a} → version ${v}`).join("\n")}>
        ${aliases.map(({ a, v }) => html`<span class="chip alias">@${a}: v${v}</span>`)}
      </td>
      <td class="chips" title=${tags.map((t) => `${t.key}: ${t.value}`).join("\n")}>
        ${tags.slice(0, 3).map((t) => html`<span class="chip">${t.key}: ${t.value}</span>`)}
        ${tags.length > 3 ? html`<span class="muted">+${tags.length - 3}</span>` : ""}
      </td>
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
    if (this.error && !this.data) return html`<tl-error .error=${this.error} @retry=${() => this.load()}></tl-error>`;
    if (!this.data) return html`<tl-skeleton .rows=${8} label="Loading models"></tl-skeleton>`;
    const { models, next } = this.data;
    const onFirst = !this.token;
    return html`
      ${this.error ? html`<tl-error .error=${this.error} @retry=${() => this.load()}></tl-error>` : ""}
      ${
        models.length === 0
          ? this.renderEmpty()
          : html`<table class=${this.loading ? "stale" : ""} aria-busy=${this.loading ? "true" : "false"}>
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
              </thead>
              <tbody>
                ${models.map((m) => this.renderRow(m))}
              </tbody>
            </table>`
      }
      ${
        onFirst && !next
          ? ""
          : html`<div class="pager">
              <button ?disabled=${onFirst} @click=${this.previousPage}>Previous</button>
              <button ?disabled=${!next} @click=${this.nextPage}>Next</button>
            </div>`
      }
    `;
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
