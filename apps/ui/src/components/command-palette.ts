import type { Experiment, RegisteredModel, Run } from "@tracklite/schemas";
import { css, html, LitElement, nothing } from "lit";
import { client } from "../api.js";
import { likeFilter } from "../lib/experiment-tree.js";
import { runColor } from "../lib/format.js";
import { navigate, seg } from "../router.js";
import { shared } from "../styles.js";
import "./error.js";
import { icons } from "./icons.js";
import "./pill.js";

type SectionId = "experiments" | "runs" | "models";

interface Item {
  id: string;
  label: string;
  detail?: string;
  path: string;
  run?: Run;
}

interface Section {
  id: SectionId;
  title: string;
  items: Item[];
  error?: unknown;
  loading: boolean;
}

const TITLES: Record<SectionId, string> = { experiments: "Experiments", runs: "Runs", models: "Models" };
const DEBOUNCE_MS = 150;

/**
 * Ctrl/⌘-K: finds experiments, runs and registered models by name (server-side ILIKE searches), arrows move, Enter
 * opens, Esc closes. Runs are searched across the most recently updated experiments.
 */
export class TlCommandPalette extends LitElement {
  static override properties = { text: { state: true }, sections: { state: true }, active: { state: true } };
  declare text: string;
  declare sections: Section[];
  declare active: number;
  private seq = 0;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private enterPending = false;
  /** Experiments known when the palette opened: ids to search runs in, names to label runs with. */
  private experiments: Promise<Experiment[]> | undefined;

  static override styles = [
    shared,
    css`
      dialog {
        margin: 12vh auto auto; padding: 0; width: min(640px, calc(100vw - 32px)); border: 1px solid var(--tl-border);
        border-radius: 10px; background: var(--tl-bg); color: var(--tl-fg); box-shadow: var(--tl-shadow);
      }
      dialog::backdrop { background: rgb(0 0 0 / 0.3); }
      .input { display: flex; align-items: center; gap: 8px; padding: 10px 14px; border-bottom: 1px solid var(--tl-border); }
      .input svg { color: var(--tl-muted); }
      .input input { flex: 1; border: 0; padding: 4px 0; font-size: 15px; background: transparent; }
      .input input:focus-visible { outline: none; }
      .results { max-height: 60vh; overflow: auto; padding: 4px 0 8px; }
      h3 {
        margin: 8px 14px 2px; font-size: 11px; text-transform: uppercase; letter-spacing: 0.04em; color: var(--tl-muted);
      }
      [role="option"] {
        display: flex; align-items: center; gap: 8px; padding: 5px 14px; cursor: pointer; min-height: 24px;
      }
      [role="option"][aria-selected="true"] { background: var(--tl-bg-selected); }
      [role="option"] .label { overflow: hidden; text-overflow: ellipsis; white-space: nowrap; }
      [role="option"] .detail { margin-left: auto; color: var(--tl-muted); font-size: 12px; white-space: nowrap; }
      .swatch { width: 10px; height: 10px; border-radius: 2px; flex: none; }
      .none, .loading { padding: 2px 14px; font-size: 12px; color: var(--tl-muted); }
      tl-error { margin: 4px 14px; }
      footer {
        display: flex; gap: 12px; padding: 6px 14px; border-top: 1px solid var(--tl-border); font-size: 12px;
        color: var(--tl-muted);
      }
    `,
  ];

  constructor() {
    super();
    this.text = "";
    this.sections = [];
    this.active = 0;
  }

  private get dialog() {
    return this.renderRoot.querySelector("dialog");
  }

  /** Opens the palette with the search box focused and its text selected. */
  async open() {
    await this.updateComplete;
    const d = this.dialog;
    if (!d) return;
    if (!d.open) d.showModal();
    this.experiments = client
      .searchExperiments({ maxResults: 200, orderBy: ["last_update_time DESC"] })
      .then((p) => p.items);
    this.experiments.catch(() => undefined); // the runs section shows the failure
    const input = this.renderRoot.querySelector("input");
    input?.focus();
    input?.select();
    this.search();
  }

  close() {
    clearTimeout(this.timer);
    this.timer = undefined;
    this.enterPending = false;
    this.dialog?.close();
  }

  private onInput(e: InputEvent) {
    this.text = (e.target as HTMLInputElement).value;
    clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.search();
    }, DEBOUNCE_MS);
  }

  private search() {
    const seq = ++this.seq;
    const q = this.text.trim();
    this.active = 0;
    const ids: SectionId[] = q ? ["experiments", "runs", "models"] : ["experiments", "models"];
    // Keep the previous items while the new ones load, so the list does not jump at every keystroke.
    const previous = new Map(this.sections.map((s) => [s.id, s.items]));
    this.sections = ids.map((id) => ({ id, title: TITLES[id], items: previous.get(id) ?? [], loading: true }));
    for (const id of ids) {
      this.fetch(id, q).then(
        (items) => this.settle(seq, id, { items }),
        (error: unknown) => this.settle(seq, id, { items: [], error }),
      );
    }
  }

  private settle(seq: number, id: SectionId, result: { items: Item[]; error?: unknown }) {
    if (seq !== this.seq) return;
    this.sections = this.sections.map((s) => (s.id === id ? { ...s, ...result, loading: false } : s));
    if (this.enterPending && !this.sections.some((s) => s.loading)) {
      this.enterPending = false;
      this.go(this.items[this.active]);
    }
  }

  private async fetch(id: SectionId, q: string): Promise<Item[]> {
    if (id === "experiments") {
      const page = await client.searchExperiments({
        filterString: likeFilter("name", q),
        maxResults: q ? 8 : 6,
        orderBy: ["last_update_time DESC"],
      });
      return page.items.map((e) => ({ id: e.experiment_id, label: e.name, path: `/experiments/${e.experiment_id}` }));
    }
    if (id === "models") {
      const page = await client.searchRegisteredModels({
        filterString: likeFilter("name", q),
        maxResults: q ? 6 : 4,
        orderBy: ["last_updated_timestamp DESC"],
      });
      return page.items.map((m: RegisteredModel) => ({
        id: m.name,
        label: m.name,
        detail: m.latest_versions?.length ? `v${m.latest_versions.at(-1)?.version}` : undefined,
        path: `/models/${seg(m.name)}`,
      }));
    }
    const experiments = (await this.experiments) ?? [];
    if (experiments.length === 0) return [];
    const names = new Map(experiments.map((e) => [e.experiment_id, e.name]));
    const page = await client.searchRuns([...names.keys()], {
      filterString: likeFilter("attributes.run_name", q),
      maxResults: 10,
      orderBy: ["attributes.start_time DESC"],
    });
    return page.items.map((r) => ({
      id: r.info.run_id,
      label: r.info.run_name || r.info.run_id,
      detail: names.get(r.info.experiment_id),
      path: `/experiments/${r.info.experiment_id}/runs/${r.info.run_id}`,
      run: r,
    }));
  }

  private get items(): Item[] {
    return this.sections.flatMap((s) => s.items);
  }

  private go(item: Item | undefined) {
    if (!item) return;
    this.close();
    navigate(item.path);
  }

  private onKey(e: KeyboardEvent) {
    const n = this.items.length;
    if (e.key === "ArrowDown" || e.key === "ArrowUp") {
      e.preventDefault();
      if (n) this.active = (this.active + (e.key === "ArrowDown" ? 1 : n - 1)) % n;
      void this.updateComplete.then(() =>
        this.renderRoot.querySelector('[aria-selected="true"]')?.scrollIntoView({ block: "nearest" }),
      );
    } else if (e.key === "Enter") {
      e.preventDefault();
      // Enter typed before the results caught up with the text: open the first result once they arrive.
      if (this.timer !== undefined) {
        clearTimeout(this.timer);
        this.timer = undefined;
        this.search();
      }
      if (this.sections.some((s) => s.loading)) this.enterPending = true;
      else this.go(this.items[this.active]);
    }
  }

  override render() {
    let index = 0;
    const activeItem = this.items[this.active];
    return html`<dialog aria-label="Search experiments, runs and models" @click=${(e: Event) => {
      if (e.target === this.dialog) this.close();
    }}>
      <div class="input">
        ${icons.search}
        <input
          role="combobox"
          aria-expanded="true"
          aria-controls="palette-results"
          aria-activedescendant=${activeItem ? `option-${this.active}` : ""}
          aria-label="Search experiments, runs and models"
          placeholder="Search experiments, runs and models…"
          autocomplete="off"
          spellcheck="false"
          .value=${this.text}
          @input=${this.onInput}
          @keydown=${this.onKey}
        />
      </div>
      <div class="results" id="palette-results" role="listbox" aria-label="Results">
        ${this.sections.map(
          (s) => html`<div role="group" aria-label=${s.title}>
            <h3>${this.text.trim() || s.id === "runs" ? s.title : `Recent ${s.title.toLowerCase()}`}</h3>
            ${s.error ? html`<tl-error .error=${s.error} @retry=${() => this.search()}></tl-error>` : nothing}
            ${
              !s.error && s.items.length === 0
                ? html`<div class=${s.loading ? "loading" : "none"}>${s.loading ? "Searching…" : "No matches"}</div>`
                : nothing
            }
            ${s.items.map((item) => {
              const i = index++;
              return html`<div
                role="option"
                id="option-${i}"
                aria-selected=${i === this.active ? "true" : "false"}
                @click=${() => this.go(item)}
                @mousemove=${() => {
                  if (this.active !== i) this.active = i;
                }}
              >
                ${
                  s.id === "experiments"
                    ? icons.folder
                    : s.id === "models"
                      ? icons.file
                      : html`<span class="swatch" style="background:${runColor(item.id)}"></span>`
                }
                <span class="label">${item.label}</span>
                ${item.run ? html`<tl-pill .status=${item.run.info.status}></tl-pill>` : nothing}
                ${item.detail ? html`<span class="detail">${item.detail}</span>` : nothing}
              </div>`;
            })}
          </div>`,
        )}
      </div>
      <footer><span><kbd>↑</kbd> <kbd>↓</kbd> move</span><span><kbd>Enter</kbd> open</span><span><kbd>Esc</kbd> close</span></footer>
    </dialog>`;
  }
}
customElements.define("tl-command-palette", TlCommandPalette);

declare global {
  interface HTMLElementTagNameMap {
    "tl-command-palette": TlCommandPalette;
  }
}
