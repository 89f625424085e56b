import type { RegisteredModel } from "@tracklite/schemas";
import { css, html, LitElement, type PropertyValues } from "lit";
import { client } from "../api.js";
import "../components/error.js";
import "../components/skeleton.js";
import "../components/time.js";
import { icons } from "../components/icons.js";
import { SlashFocus } from "../components/slash-focus.js";
import { serverBase } from "../lib/server-base.js";
import { aliasesByVersion, firstLine, latestVersion, userTags } from "../registry/model-filters.js";
import { href, navigate, seg } from "../router.js";
import { shared } from "../styles.js";
import { experimentNames } from "./experiment-names.js";
import { promptsFilter } from "./prompt-version.js";

const PAGE_SIZE = 25;

interface Loaded {
  key: string;
  prompts: RegisteredModel[];
  next: string | undefined;
}

/**
 * `#/prompts` (and `#/experiments/:experimentId/prompts`, only the prompts linked to that experiment): the prompt
 * registry, searched by name and paged on the server, newest change first. The URL holds the search (`q`) and the
 * page token (`token`).
 */
export class TlPromptsPage extends LitElement {
  static override properties = {
    params: { attribute: false },
    query: { attribute: false },
    data: { state: true },
    loading: { state: true },
    error: { state: true },
    experimentName: { state: true },
  };
  declare params: Record<string, string>;
  declare query: URLSearchParams;
  declare data: Loaded | undefined;
  declare loading: boolean;
  declare error: unknown;
  declare experimentName: string | undefined;
  /** Tokens of the pages before this one (the server's tokens only go forward). */
  private previous: string[] = [];
  private seq = 0;
  private typing: ReturnType<typeof setTimeout> | undefined;

  static override styles = [
    shared,
    css`
      .crumbs { font-size: 13px; margin-bottom: 4px; }
      .head { display: flex; align-items: baseline; gap: 8px; }
      .head p { margin: 0; }
      .search { position: relative; display: inline-flex; align-items: center; }
      .search svg { position: absolute; left: 8px; color: var(--tl-muted); }
      .search input { padding-left: 26px; width: 280px; }
      table { font-size: 12.5px; table-layout: fixed; }
      th, td { padding: 5px 8px; overflow: hidden; text-overflow: ellipsis; white-space: nowrap; }
      td.chips { white-space: normal; }
      tbody tr:hover { background: var(--tl-bg-hover); }
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
    this.experimentName = undefined;
    new SlashFocus(this, () => this.renderRoot.querySelector<HTMLInputElement>("input[type=search]")?.focus());
  }

  private get experimentId() {
    return this.params.experimentId;
  }
  /** The list's own path: global or in an experiment. */
  private get base() {
    return this.experimentId ? `/experiments/${seg(this.experimentId)}/prompts` : "/prompts";
  }
  private get q() {
    return this.query.get("q") ?? "";
  }
  private get token() {
    return this.query.get("token") ?? "";
  }
  private get key() {
    return [this.experimentId ?? "", this.q, this.token].join("\u0000");
  }

  override willUpdate(changed: PropertyValues<this>) {
    if ((changed.has("query") || changed.has("params")) && this.data?.key !== this.key) void this.load();
    if (changed.has("params") && changed.get("params")?.experimentId !== this.experimentId) {
      this.experimentName = undefined;
      const id = this.experimentId;
      if (id) {
        void experimentNames([id]).then((names) => {
          if (id === this.experimentId) this.experimentName = names[id];
        });
      }
    }
  }

  private async load() {
    const seq = ++this.seq;
    const key = this.key;
    this.loading = true;
    this.error = undefined;
    try {
      const page = await client.searchRegisteredModels({
        filterString: promptsFilter(this.q, this.experimentId),
        orderBy: ["last_updated_timestamp DESC", "name ASC"],
        maxResults: PAGE_SIZE,
        pageToken: this.token || undefined,
      });
      if (seq === this.seq) this.data = { key, prompts: page.items, next: page.nextPageToken || undefined };
    } catch (e) {
      if (seq === this.seq) this.error = e;
    } finally {
      if (seq === this.seq) this.loading = false;
    }
  }

  private setView(changes: Record<string, string | undefined>, paging = false) {
    if (!paging) this.previous = [];
    navigate(this.base, { q: this.q, token: paging ? this.token : undefined, ...changes }, true);
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

  private renderRow(p: RegisteredModel) {
    const latest = latestVersion(p);
    const aliases = Object.entries(aliasesByVersion(p.aliases)).flatMap(([v, names]) => names.map((a) => ({ a, v })));
    const tags = userTags(p);
    const page = `${this.base}/${seg(p.name)}`;
    return html`<tr>
      <td><a class="name" href=${href(page)} title=${p.name}>${p.name}</a></td>
      <td>
        ${
          latest
            ? html`<a href=${href(page, { promptVersion: latest.version })}>Version ${latest.version}</a>`
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
      <td><tl-time .ms=${p.last_updated_timestamp}></tl-time></td>
      <td class="muted" title=${latest?.description ?? ""}>${firstLine(latest?.description)}</td>
    </tr>`;
  }

  private renderEmpty() {
    if (this.q) return html`<p class="empty muted">No prompts match “${this.q}”.</p>`;
    const scope = this.experimentId ? `mlflow.set_experiment(experiment_id="${this.experimentId}")\n` : "";
    return html`<div class="empty">
      <p>No prompts ${this.experimentId ? "in this experiment " : ""}yet. Register one from Python:</p>
      <pre>import mlflow
mlflow.set_tracking_uri("${serverBase()}")
${scope}mlflow.genai.register_prompt(name="my-prompt", template="Summarize: {{ text }}")</pre>
    </div>`;
  }

  private renderTable() {
    if (this.error && !this.data) return html`<tl-error .error=${this.error} @retry=${() => this.load()}></tl-error>`;
    if (!this.data) return html`<tl-skeleton .rows=${8} label="Loading prompts"></tl-skeleton>`;
    const { prompts, next } = this.data;
    const onFirst = !this.token;
    return html`
      ${this.error ? html`<tl-error .error=${this.error} @retry=${() => this.load()}></tl-error>` : ""}
      ${
        prompts.length === 0
          ? this.renderEmpty()
          : html`<table class=${this.loading ? "stale" : ""} aria-busy=${this.loading ? "true" : "false"}>
              <colgroup>
                <col style="width:20%" /><col style="width:10%" /><col style="width:18%" /><col style="width:18%" />
                <col style="width:11%" /><col />
              </colgroup>
              <thead>
                <tr>
                  <th>Name</th><th>Latest version</th><th>Aliases</th><th>Tags</th><th>Last modified</th>
                  <th>Commit message</th>
                </tr>
              </thead>
              <tbody>${prompts.map((p) => this.renderRow(p))}</tbody>
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
    const exp = this.experimentId;
    return html`
      ${
        exp
          ? html`<div class="crumbs">
              <a href=${href(`/experiments/${seg(exp)}`)}>${this.experimentName ?? `Experiment ${exp}`}</a> ›
              <a href=${href("/prompts")}>All prompts</a>
            </div>`
          : ""
      }
      <div class="head">
        <h1>Prompts</h1>
        <p class="muted">Versioned prompt templates of the registry (<code>mlflow.genai.register_prompt</code>).</p>
      </div>
      <div class="toolbar">
        <label class="search">
          ${icons.search}
          <input
            type="search"
            placeholder="Search prompts by name"
            aria-label="Search prompts by name"
            .value=${this.q}
            @input=${this.onSearch}
          />
        </label>
        <span class="muted">Press <kbd>/</kbd> to search</span>
      </div>
      ${this.renderTable()}
    `;
  }
}
customElements.define("tl-prompts-page", TlPromptsPage);
