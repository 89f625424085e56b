import type { RegisteredModel } from "@tracklite/schemas";
import { css, html, LitElement, type PropertyValues } from "lit";
import { client } from "../api.js";
import "../components/time.js";
import { icons } from "../components/icons.js";
import { SlashFocus } from "../components/slash-focus.js";
import { TokenPages } from "../components/token-pages.js";
import { serverBase } from "../lib/server-base.js";
import { firstLine, latestVersion } from "../registry/model-filters.js";
import { aliasesCell, modelListStyles, tagsCell } from "../registry/model-list.js";
import { href, navigate, seg } from "../router.js";
import { shared } from "../styles.js";
import { experimentNames } from "./experiment-names.js";
import { promptsFilter } from "./prompt-version.js";

const PAGE_SIZE = 25;

/**
 * `#/prompts` (and `#/experiments/:experimentId/prompts`, only the prompts linked to that experiment): the prompt
 * registry, searched by name and paged on the server, newest change first. The URL holds the search (`q`) and the
 * page token (`token`).
 */
export class TlPromptsPage extends LitElement {
  static override properties = {
    params: { attribute: false },
    query: { attribute: false },
    experimentName: { state: true },
  };
  declare params: Record<string, string>;
  declare query: URLSearchParams;
  declare experimentName: string | undefined;
  private list = new TokenPages<RegisteredModel>(this, () =>
    client.searchRegisteredModels({
      filterString: promptsFilter(this.q, this.experimentId),
      orderBy: ["last_updated_timestamp DESC", "name ASC"],
      maxResults: PAGE_SIZE,
      pageToken: this.token || undefined,
    }),
  );

  static override styles = [
    shared,
    modelListStyles,
    css`
      .crumbs { font-size: 13px; margin-bottom: 4px; }
      .head { display: flex; align-items: baseline; gap: 8px; }
      .head p { margin: 0; }
    `,
  ];

  constructor() {
    super();
    this.params = {};
    this.query = new URLSearchParams();
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
    if (changed.has("query") || changed.has("params")) this.list.sync(this.key);
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

  private setView(changes: Record<string, string | undefined>, paging = false) {
    if (!paging) this.list.restart();
    navigate(this.base, { q: this.q, token: paging ? this.token : undefined, ...changes }, true);
  }

  private onSearch(e: InputEvent) {
    const value = (e.target as HTMLInputElement).value;
    this.list.debounce(() => this.setView({ q: value }));
  }

  private renderRow(p: RegisteredModel) {
    const latest = latestVersion(p);
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
      ${aliasesCell(p)} ${tagsCell(p)}
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
    return this.list.view({
      key: this.key,
      label: "Loading prompts",
      current: this.token,
      go: (token) => this.setView({ token }, true),
      empty: () => this.renderEmpty(),
      columns: () => html`
        <colgroup>
          <col style="width:20%" /><col style="width:10%" /><col style="width:18%" /><col style="width:18%" />
          <col style="width:11%" /><col />
        </colgroup>
        <thead>
          <tr>
            <th>Name</th><th>Latest version</th><th>Aliases</th><th>Tags</th><th>Last modified</th>
            <th>Commit message</th>
          </tr>
        </thead>`,
      rows: (prompts) => prompts.map((p) => this.renderRow(p)),
    });
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
