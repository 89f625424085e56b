import type { Experiment } from "@tracklite/schemas";
import { css, html, LitElement, nothing, type PropertyValues, type TemplateResult } from "lit";
import { client } from "../api.js";
import "../components/copy.js";
import "../components/description.js";
import "../components/dialog.js";
import "../components/error.js";
import { icons } from "../components/icons.js";
import { SlashFocus } from "../components/slash-focus.js";
import "../components/skeleton.js";
import "../components/tag-editor.js";
import "../components/time.js";
import { toast } from "../components/toast.js";
import { buildTree, flatten, matchesName, nameFilter, type Row } from "../lib/experiment-tree.js";
import { tagRecord } from "../lib/format.js";
import { currentLocation, href, navigate } from "../router.js";
import { shared } from "../styles.js";
import "../components/getting-started.js";

type View = "active" | "deleted" | "all";
const VIEW_TYPE = { active: "ACTIVE_ONLY", deleted: "DELETED_ONLY", all: "ALL" } as const;
const VIEWS: [View, string][] = [
  ["active", "Active"],
  ["deleted", "Deleted"],
  ["all", "All"],
];
/** The tag MLflow keeps an experiment's description in. */
const NOTE = "mlflow.note.content";
const PINS = "tracklite.pinned-experiments";
const COLLAPSED = "tracklite.collapsed-folders";
const PAGE_SIZE = 1000;

type DialogState = { kind: "create" } | { kind: "rename" | "delete"; experiment: Experiment };
/** A visible row: a group heading, a folder or an experiment (`key` identifies it for keyboard focus). */
type ListRow = { kind: "group"; key: string; label: string } | (Row<Experiment> & { key: string; fullName?: boolean });

const readSet = (key: string) => {
  try {
    return new Set<string>(JSON.parse(localStorage.getItem(key) ?? "[]") as string[]);
  } catch {
    return new Set<string>();
  }
};
const writeSet = (key: string, set: Set<string>) => localStorage.setItem(key, JSON.stringify([...set]));

/**
 * The experiments list (`#/` and `#/experiments`): search, folders from `/` in names, pinned and most recently
 * updated first, create / rename / delete / restore, and per experiment an expandable row with its description and
 * tags. The URL holds the search (`q`), the view (`view`) and the expanded experiment (`open`).
 */
export class TlExperimentsPage extends LitElement {
  static override properties = {
    params: { attribute: false },
    query: { attribute: false },
    experiments: { state: true },
    error: { state: true },
    search: { state: true },
    view: { state: true },
    openId: { state: true },
    pinned: { state: true },
    collapsed: { state: true },
    focusKey: { state: true },
    dialog: { state: true },
    dialogError: { state: true },
    busy: { state: true },
    rowError: { state: true },
    nextToken: { state: true },
  };
  declare params: Record<string, string>;
  declare query: URLSearchParams;
  declare experiments: Experiment[] | undefined;
  declare error: unknown;
  declare search: string;
  declare view: View;
  declare openId: string;
  declare pinned: Set<string>;
  declare collapsed: Set<string>;
  declare focusKey: string;
  declare dialog: DialogState | undefined;
  declare dialogError: unknown;
  declare busy: boolean;
  declare rowError: { id: string; error: unknown; retry: () => void } | undefined;
  declare nextToken: string | undefined;
  /** The unfiltered list had more than one page: searching then asks the server too. */
  private incomplete = false;
  private loadedView: View | undefined;
  private seq = 0;
  private searchTimer: ReturnType<typeof setTimeout> | undefined;
  private rows: ListRow[] = [];

  static override styles = [
    shared,
    css`
      .head { display: flex; align-items: baseline; gap: 12px; }
      .head .count { font-size: 13px; }
      .search { position: relative; flex: 0 1 360px; }
      .search svg { position: absolute; left: 8px; top: 8px; color: var(--tl-muted); }
      .search input { width: 100%; box-sizing: border-box; padding-left: 28px; padding-right: 28px; }
      .search kbd { position: absolute; right: 6px; top: 5px; }
      .views { display: inline-flex; border: 1px solid var(--tl-border); border-radius: var(--tl-radius); overflow: hidden; }
      .views button { border: 0; border-radius: 0; padding: 4px 10px; }
      .views button + button { border-left: 1px solid var(--tl-border); }
      .views button[aria-pressed="true"] { background: var(--tl-bg-selected); font-weight: 600; }
      table { font-size: 13px; table-layout: fixed; }
      thead th {
        position: sticky; top: var(--tl-header-h, 0px); z-index: 1; font-size: 12px; white-space: nowrap;
        padding: 6px 8px;
      }
      th.name { width: auto; }
      th.id { width: 110px; }
      th.time { width: 120px; }
      th.tags { width: 24%; }
      th.actions { width: 92px; }
      td { padding: 0 8px; height: 30px; vertical-align: middle; white-space: nowrap; overflow: hidden; text-overflow: ellipsis; }
      tbody tr.item:hover { background: var(--tl-bg-hover); }
      tbody tr.item:focus { outline: none; }
      tbody tr.item:focus-visible, tbody tr.item.focused:focus-within { box-shadow: inset 2px 0 0 var(--tl-accent); background: var(--tl-bg-hover); }
      tbody tr.open { background: var(--tl-bg-alt); }
      tr.group td {
        font-size: 11px; font-weight: 600; text-transform: uppercase; letter-spacing: 0.04em; color: var(--tl-muted);
        height: 26px; background: var(--tl-bg); padding-top: 6px;
      }
      .name-cell { display: flex; align-items: center; gap: 4px; min-width: 0; }
      .name-cell a, .name-cell .folder-name { overflow: hidden; text-overflow: ellipsis; }
      .name-cell .path { color: var(--tl-muted); }
      .toggle svg { transition: transform 0.12s; }
      .toggle[aria-expanded="true"] svg { transform: rotate(90deg); }
      .folder-name { font-weight: 600; cursor: pointer; }
      .folder-icon { color: var(--tl-muted); display: inline-flex; }
      .badge { font-size: 11px; color: var(--tl-muted); font-variant-numeric: tabular-nums; }
      .deleted { font-size: 11px; border: 1px solid var(--tl-danger); color: var(--tl-danger); border-radius: 999px; padding: 0 6px; }
      .chip { display: inline-block; font-size: 11.5px; border: 1px solid var(--tl-border); border-radius: 999px; padding: 0 6px; margin-right: 4px; background: var(--tl-bg-alt); max-width: 14ch; overflow: hidden; text-overflow: ellipsis; vertical-align: middle; }
      td.actions { text-align: right; }
      td.actions button { opacity: 0.55; }
      tr.item:hover td.actions button, tr.item:focus-within td.actions button, td.actions button.on { opacity: 1; }
      td.actions button.on { color: var(--tl-accent); }
      tr.details td { height: auto; white-space: normal; padding: 10px 12px 14px 36px; background: var(--tl-bg-alt); }
      .details-grid { display: grid; grid-template-columns: 130px 1fr; gap: 8px 12px; align-items: start; max-width: 960px; }
      .details-grid dt { color: var(--tl-muted); font-size: 12px; padding-top: 2px; }
      .details-grid dd { margin: 0; min-width: 0; }
      tr.row-error td { height: auto; white-space: normal; padding: 4px 8px 8px; }
      .more { margin-top: 8px; }
      .empty { padding: 24px 8px; text-align: center; }
      form label { display: block; font-size: 12px; color: var(--tl-muted); margin: 8px 0 4px; }
      form input { width: 100%; box-sizing: border-box; }
      .hint { font-size: 12px; margin: 6px 0 0; }
    `,
  ];

  constructor() {
    super();
    this.params = {};
    this.query = new URLSearchParams();
    this.experiments = undefined;
    this.error = undefined;
    this.search = "";
    this.view = "active";
    this.openId = "";
    this.pinned = readSet(PINS);
    this.collapsed = readSet(COLLAPSED);
    this.focusKey = "";
    this.dialog = undefined;
    this.dialogError = undefined;
    this.busy = false;
    this.rowError = undefined;
    this.nextToken = undefined;
    // `/` focuses the search box (not while a dialog is open).
    new SlashFocus(
      this,
      () => this.renderRoot.querySelector<HTMLInputElement>("input[type=search]")?.focus(),
      () => !this.dialog,
    );
  }

  override connectedCallback() {
    super.connectedCallback();
    document.title = "Experiments · tracklite";
  }

  override disconnectedCallback() {
    clearTimeout(this.searchTimer);
    super.disconnectedCallback();
  }

  override willUpdate(changed: PropertyValues<this>) {
    if (!changed.has("query")) return;
    const q = this.query.get("q") ?? "";
    const v = this.query.get("view");
    const view: View = v === "deleted" || v === "all" ? v : "active";
    this.openId = this.query.get("open") ?? "";
    // Our own URL write drops surrounding spaces: keep the box as typed ("resnet " while typing "resnet base").
    const searchChanged = q.trim() !== this.search.trim();
    if (searchChanged) this.search = q;
    this.view = view;
    if (view !== this.loadedView) {
      this.loadedView = view;
      this.experiments = undefined;
      void this.load();
    } else if (searchChanged && this.incomplete) {
      void this.load();
    }
  }

  // Data

  private async load(more = false) {
    const seq = ++this.seq;
    const filter = this.incomplete ? nameFilter(this.search) : undefined;
    this.error = undefined;
    try {
      const page = await client.searchExperiments({
        viewType: VIEW_TYPE[this.view],
        maxResults: PAGE_SIZE,
        orderBy: ["last_update_time DESC"],
        filterString: filter,
        pageToken: more ? this.nextToken : undefined,
      });
      if (seq !== this.seq) return;
      this.experiments = more ? [...(this.experiments ?? []), ...page.items] : page.items;
      this.nextToken = page.nextPageToken || undefined;
      if (!filter && !more) this.incomplete = Boolean(this.nextToken);
    } catch (e) {
      if (seq === this.seq) this.error = e;
    }
  }

  /** Replaces one experiment with its current state from the server (after an edit). */
  private async refresh(id: string) {
    const fresh = await client.getExperiment(id);
    const visible = this.view === "all" || (this.view === "deleted") === (fresh.lifecycle_stage === "deleted");
    const list = this.experiments ?? [];
    this.experiments = visible
      ? list.some((e) => e.experiment_id === id)
        ? list.map((e) => (e.experiment_id === id ? fresh : e))
        : [fresh, ...list]
      : list.filter((e) => e.experiment_id !== id);
  }

  /** Runs an edit of one experiment; a failure shows inline under its row, with a retry. */
  private async act(id: string, what: () => Promise<unknown>) {
    this.rowError = undefined;
    try {
      await what();
      await this.refresh(id);
    } catch (error) {
      this.rowError = { id, error, retry: () => void this.act(id, what) };
    }
  }

  // URL

  private writeQuery(changes: Record<string, string | undefined>) {
    const q = new URLSearchParams(this.query);
    for (const [k, v] of Object.entries(changes)) {
      if (v) q.set(k, v);
      else q.delete(k);
    }
    navigate(currentLocation().path, q, true);
  }

  private onSearchInput(e: InputEvent) {
    this.search = (e.target as HTMLInputElement).value;
    clearTimeout(this.searchTimer);
    this.searchTimer = setTimeout(() => this.writeQuery({ q: this.search.trim() || undefined }), 250);
  }

  private toggleOpen(id: string) {
    this.writeQuery({ open: this.openId === id ? undefined : id });
  }

  // Keyboard

  private onSearchKey(e: KeyboardEvent) {
    if (e.key === "ArrowDown") {
      e.preventDefault();
      this.moveFocus(0, true);
    } else if (e.key === "Enter") {
      const first = this.rows.find((r) => r.kind === "experiment");
      if (first?.kind === "experiment") navigate(`/experiments/${first.experiment.experiment_id}`);
    } else if (e.key === "Escape" && this.search) {
      e.preventDefault();
      this.search = "";
      this.writeQuery({ q: undefined });
    }
  }

  private focusables() {
    return this.rows.filter((r) => r.kind !== "group");
  }

  /** Moves keyboard focus to the row `delta` away from the focused one (or to index `delta` when `absolute`). */
  private moveFocus(delta: number, absolute = false) {
    const rows = this.focusables();
    if (rows.length === 0) return;
    const at = rows.findIndex((r) => r.key === this.focusKey);
    const i = absolute ? delta : Math.max(0, Math.min(rows.length - 1, (at < 0 ? -1 : at) + delta));
    const row = rows[i];
    if (row) this.focusRow(row.key);
  }

  private focusRow(key: string) {
    this.focusKey = key;
    void this.updateComplete.then(() => {
      const tr = this.renderRoot.querySelector<HTMLElement>(`tr[data-key="${CSS.escape(key)}"]`);
      tr?.focus();
      tr?.scrollIntoView({ block: "nearest" });
    });
  }

  private onRowKey(e: KeyboardEvent, row: ListRow) {
    // Keys typed in a row's controls (buttons, links) keep their own meaning, except the arrows.
    const inControl = e.target !== e.currentTarget;
    if (e.key === "ArrowDown" || e.key === "ArrowUp") {
      e.preventDefault();
      this.moveFocus(e.key === "ArrowDown" ? 1 : -1);
    } else if (e.key === "Home" || e.key === "End") {
      e.preventDefault();
      this.moveFocus(e.key === "Home" ? 0 : this.focusables().length - 1, true);
    } else if (inControl) {
      return;
    } else if (row.kind === "folder" && (e.key === "Enter" || e.key === "ArrowRight" || e.key === "ArrowLeft")) {
      e.preventDefault();
      const open = !this.collapsed.has(row.path) || Boolean(this.search);
      if (e.key === "Enter" || (e.key === "ArrowRight") !== open) this.toggleFolder(row.path);
    } else if (row.kind === "experiment" && e.key === "Enter") {
      navigate(`/experiments/${row.experiment.experiment_id}`);
    } else if (row.kind === "experiment" && (e.key === "ArrowRight" || e.key === "ArrowLeft")) {
      const open = this.openId === row.experiment.experiment_id;
      if ((e.key === "ArrowRight") !== open) this.toggleOpen(row.experiment.experiment_id);
    }
  }

  // Pins and folders

  private togglePin(id: string) {
    const next = new Set(this.pinned);
    if (!next.delete(id)) next.add(id);
    writeSet(PINS, next);
    this.pinned = next;
  }

  private toggleFolder(path: string) {
    const next = new Set(this.collapsed);
    if (!next.delete(path)) next.add(path);
    writeSet(COLLAPSED, next);
    this.collapsed = next;
  }

  // Dialogs

  private openDialog(dialog: DialogState) {
    this.dialogError = undefined;
    this.dialog = dialog;
  }

  private async submitDialog(e: Event) {
    e.preventDefault();
    const d = this.dialog;
    if (!d || this.busy) return;
    const form = this.renderRoot.querySelector<HTMLFormElement>("#experiment-form");
    const data = form ? new FormData(form) : new FormData();
    const name = String(data.get("name") ?? "").trim();
    this.busy = true;
    this.dialogError = undefined;
    try {
      if (d.kind === "create") {
        const location = String(data.get("artifact_location") ?? "").trim();
        const id = await client.createExperiment(name, location ? { artifactLocation: location } : {});
        toast(`Created experiment "${name}"`);
        if (this.view === "deleted") this.writeQuery({ view: undefined });
        await this.refresh(id);
        this.focusRow(`exp:${id}`);
      } else if (d.kind === "rename") {
        await client.renameExperiment(d.experiment.experiment_id, name);
        toast(`Renamed to "${name}"`);
        await this.refresh(d.experiment.experiment_id);
      } else {
        await client.deleteExperiment(d.experiment.experiment_id);
        toast(`Deleted experiment "${d.experiment.name}"`);
        await this.refresh(d.experiment.experiment_id);
      }
      this.dialog = undefined;
    } catch (err) {
      this.dialogError = err;
    } finally {
      this.busy = false;
    }
  }

  private async restore(exp: Experiment) {
    await this.act(exp.experiment_id, () => client.restoreExperiment(exp.experiment_id));
    if (!this.rowError) toast(`Restored experiment "${exp.name}"`);
  }

  private saveDescription(exp: Experiment, text: string) {
    const id = exp.experiment_id;
    void this.act(id, () =>
      text.trim() ? client.setExperimentTag(id, NOTE, text) : client.deleteExperimentTag(id, NOTE),
    );
  }

  // Rendering

  private buildRows(): ListRow[] {
    const all = this.experiments ?? [];
    const matching = this.search ? all.filter((e) => matchesName(e.name, this.search)) : all;
    const pinned = matching.filter((e) => this.pinned.has(e.experiment_id));
    const rest = matching.filter((e) => !this.pinned.has(e.experiment_id));
    const rows: ListRow[] = [];
    if (pinned.length) {
      rows.push({ kind: "group", key: "group:pinned", label: "Pinned" });
      const recent = [...pinned].sort((a, b) => Number(b.last_update_time ?? 0) - Number(a.last_update_time ?? 0));
      for (const e of recent) {
        rows.push({
          kind: "experiment",
          key: `exp:${e.experiment_id}`,
          label: e.name,
          experiment: e,
          latest: 0,
          depth: 0,
          fullName: true,
        });
      }
      if (rest.length) rows.push({ kind: "group", key: "group:all", label: "All experiments" });
    }
    for (const r of flatten(buildTree(rest), this.collapsed, Boolean(this.search))) {
      rows.push({ ...r, key: r.kind === "folder" ? `folder:${r.path}` : `exp:${r.experiment.experiment_id}` });
    }
    return rows;
  }

  override render() {
    this.rows = this.experiments ? this.buildRows() : [];
    const total = this.experiments?.length;
    return html`
      <div class="head">
        <h1>Experiments</h1>
        ${total === undefined ? nothing : html`<span class="muted count">${total}${this.nextToken ? "+" : ""} ${total === 1 ? "experiment" : "experiments"}</span>`}
      </div>
      <div class="toolbar">
        <div class="search">
          ${icons.search}
          <input
            type="search"
            placeholder="Search experiments by name"
            aria-label="Search experiments"
            .value=${this.search}
            @input=${this.onSearchInput}
            @keydown=${this.onSearchKey}
          />
          ${this.search ? nothing : html`<kbd aria-hidden="true">/</kbd>`}
        </div>
        <div class="views" role="group" aria-label="Which experiments">
          ${VIEWS.map(
            ([v, label]) => html`<button
              aria-pressed=${this.view === v ? "true" : "false"}
              @click=${() => this.writeQuery({ view: v === "active" ? undefined : v })}
            >${label}</button>`,
          )}
        </div>
        <span class="spacer"></span>
        <button class="primary" @click=${() => this.openDialog({ kind: "create" })}>${icons.plus} New experiment</button>
      </div>
      ${this.renderBody()} ${this.renderDialog()}
    `;
  }

  private renderBody(): TemplateResult {
    if (this.error && !this.experiments) {
      return html`<tl-error .error=${this.error} @retry=${() => this.load()}></tl-error>`;
    }
    if (!this.experiments)
      return html`${this.renderTable([])}<tl-skeleton .rows=${8} label="Loading experiments"></tl-skeleton>`;
    const onlyDefault = this.experiments.length <= 1 && this.view === "active" && !this.search;
    return html`
      ${this.error ? html`<tl-error .error=${this.error} @retry=${() => this.load()}></tl-error>` : nothing}
      ${this.renderTable(this.rows)}
      ${this.rows.length === 0 ? this.renderEmpty() : nothing}
      ${
        this.nextToken
          ? html`<div class="more"><button @click=${() => this.load(true)}>Load more experiments</button></div>`
          : nothing
      }
      ${onlyDefault ? html`<tl-getting-started></tl-getting-started>` : nothing}
    `;
  }

  private renderEmpty() {
    if (this.search) {
      return html`<div class="empty muted">
        No experiments match “${this.search}”.
        <button @click=${() => this.writeQuery({ q: undefined })}>Clear search</button>
      </div>`;
    }
    if (this.view === "deleted") return html`<div class="empty muted">No deleted experiments.</div>`;
    return html`<div class="empty muted">No experiments yet.</div>`;
  }

  private renderTable(rows: ListRow[]) {
    const focusKey = rows.some((r) => r.key === this.focusKey)
      ? this.focusKey
      : rows.find((r) => r.kind !== "group")?.key;
    return html`<table aria-label="Experiments">
      <thead>
        <tr>
          <th class="name">Name</th>
          <th class="id">ID</th>
          <th class="time">Last updated</th>
          <th class="time">Created</th>
          <th class="tags">Tags</th>
          <th class="actions"><span class="sr-only">Actions</span></th>
        </tr>
      </thead>
      <tbody>
        ${rows.map((r) => this.renderRow(r, r.key === focusKey))}
      </tbody>
    </table>`;
  }

  private renderRow(row: ListRow, focused: boolean): TemplateResult {
    if (row.kind === "group") return html`<tr class="group"><td colspan="6">${row.label}</td></tr>`;
    const indent = `padding-left: ${8 + row.depth * 18}px`;
    const common = {
      tabindex: focused ? "0" : "-1",
      onFocus: () => {
        this.focusKey = row.key;
      },
      onKey: (e: KeyboardEvent) => this.onRowKey(e, row),
    };
    if (row.kind === "folder") {
      const open = Boolean(this.search) || !this.collapsed.has(row.path);
      return html`<tr class="item folder" data-key=${row.key} tabindex=${common.tabindex} @focus=${common.onFocus} @keydown=${common.onKey}>
        <td colspan="6" style=${indent}>
          <div class="name-cell">
            <button
              class="icon-button toggle"
              aria-expanded=${open ? "true" : "false"}
              aria-label="${open ? "Collapse" : "Expand"} folder ${row.path}"
              @click=${() => this.toggleFolder(row.path)}
            >${icons.chevron}</button>
            <span class="folder-icon">${open ? icons.folderOpen : icons.folder}</span>
            <span class="folder-name" @click=${() => this.toggleFolder(row.path)}>${row.label}</span>
            <span class="badge">${row.count}</span>
          </div>
        </td>
      </tr>`;
    }
    const e = row.experiment;
    const id = e.experiment_id;
    const open = this.openId === id;
    const deleted = e.lifecycle_stage === "deleted";
    const pinned = this.pinned.has(id);
    const tags = Object.entries(tagRecord(e.tags)).filter(([k]) => !k.startsWith("mlflow."));
    const slash = row.fullName ? e.name.lastIndexOf("/") : -1;
    return html`<tr
        class="item ${open ? "open" : ""} ${focused ? "focused" : ""}"
        data-key=${row.key}
        tabindex=${common.tabindex}
        @focus=${common.onFocus}
        @keydown=${common.onKey}
      >
        <td style=${indent}>
          <div class="name-cell">
            <button
              class="icon-button toggle"
              aria-expanded=${open ? "true" : "false"}
              aria-label="Details of ${e.name}"
              title="Description and tags"
              @click=${() => this.toggleOpen(id)}
            >${icons.chevron}</button>
            <a href=${href(`/experiments/${id}`)} title=${e.name}
              >${slash > 0 ? html`<span class="path">${e.name.slice(0, slash + 1)}</span>${e.name.slice(slash + 1)}` : row.label}</a
            >
            ${deleted ? html`<span class="deleted">Deleted</span>` : nothing}
          </div>
        </td>
        <td><tl-copy .value=${id} .short=${8}></tl-copy></td>
        <td><tl-time .ms=${Number(e.last_update_time ?? 0)}></tl-time></td>
        <td><tl-time .ms=${Number(e.creation_time ?? 0)}></tl-time></td>
        <td title=${tags.map(([k, v]) => `${k}: ${v}`).join("\n")}>
          ${tags.slice(0, 3).map(([k, v]) => html`<span class="chip">${k}${v ? `: ${v}` : ""}</span>`)}
          ${tags.length > 3 ? html`<span class="badge">+${tags.length - 3}</span>` : nothing}
        </td>
        <td class="actions">
          <button
            class="icon-button ${pinned ? "on" : ""}"
            aria-pressed=${pinned ? "true" : "false"}
            aria-label="${pinned ? "Unpin" : "Pin"} ${e.name}"
            title=${pinned ? "Unpin" : "Pin to the top"}
            @click=${() => this.togglePin(id)}
          >${icons.pin}</button>
          ${
            deleted
              ? html`<button class="icon-button" aria-label="Restore ${e.name}" title="Restore" @click=${() => this.restore(e)}>
                  ${icons.restore}
                </button>`
              : html`<button
                    class="icon-button"
                    aria-label="Rename ${e.name}"
                    title="Rename"
                    @click=${() => this.openDialog({ kind: "rename", experiment: e })}
                  >${icons.edit}</button><button
                    class="icon-button"
                    aria-label="Delete ${e.name}"
                    title="Delete"
                    @click=${() => this.openDialog({ kind: "delete", experiment: e })}
                  >${icons.trash}</button>`
          }
        </td>
      </tr>
      ${
        this.rowError?.id === id
          ? html`<tr class="row-error"><td colspan="6">
              <tl-error .error=${this.rowError.error} @retry=${this.rowError.retry}></tl-error>
            </td></tr>`
          : nothing
      }
      ${open ? this.renderDetails(e) : nothing}`;
  }

  private renderDetails(e: Experiment) {
    const tags = tagRecord(e.tags);
    const id = e.experiment_id;
    return html`<tr class="details">
      <td colspan="6">
        <dl class="details-grid">
          <dt>Description</dt>
          <dd>
            <tl-description
              .value=${tags[NOTE] ?? ""}
              editable
              @save=${(ev: CustomEvent<string>) => this.saveDescription(e, ev.detail)}
            ></tl-description>
          </dd>
          <dt>Tags</dt>
          <dd>
            <tl-tag-editor
              .tags=${tags}
              editable
              @tag-set=${(ev: CustomEvent<{ key: string; value: string }>) =>
                this.act(id, () => client.setExperimentTag(id, ev.detail.key, ev.detail.value))}
              @tag-delete=${(ev: CustomEvent<{ key: string }>) =>
                this.act(id, () => client.deleteExperimentTag(id, ev.detail.key))}
            ></tl-tag-editor>
          </dd>
          <dt>Artifact location</dt>
          <dd class="mono">${e.artifact_location ?? ""}</dd>
          <dt>Experiment</dt>
          <dd><a href=${href(`/experiments/${id}`)}>Open runs of ${e.name} ${icons.chevron}</a></dd>
        </dl>
      </td>
    </tr>`;
  }

  private renderDialog() {
    const d = this.dialog;
    const heading =
      d?.kind === "create" ? "New experiment" : d?.kind === "rename" ? "Rename experiment" : "Delete experiment";
    const action = d?.kind === "create" ? "Create" : d?.kind === "rename" ? "Rename" : "Delete";
    return html`<tl-dialog
      .heading=${heading}
      ?open=${Boolean(d)}
      @close=${() => {
        this.dialog = undefined;
      }}
    >
      ${d ? this.renderDialogBody(d) : nothing}
      ${this.dialogError ? html`<tl-error .error=${this.dialogError} .retryable=${false}></tl-error>` : nothing}
      <button slot="actions" @click=${() => {
        this.dialog = undefined;
      }}>Cancel</button>
      <button
        slot="actions"
        type="submit"
        form="experiment-form"
        class=${d?.kind === "delete" ? "primary danger" : "primary"}
        ?disabled=${this.busy}
      >${this.busy ? `${action}…` : action}</button>
    </tl-dialog>`;
  }

  private renderDialogBody(d: DialogState) {
    if (d.kind === "delete") {
      return html`<form id="experiment-form" @submit=${this.submitDialog}>
        <p>
          Delete <strong>${d.experiment.name}</strong>? Its runs go with it. You can restore it later from the
          <em>Deleted</em> view.
        </p>
      </form>`;
    }
    const current = d.kind === "rename" ? d.experiment.name : "";
    return html`<form id="experiment-form" @submit=${this.submitDialog}>
      <label for="experiment-name">${d.kind === "rename" ? "New name" : "Name"}</label>
      <input id="experiment-name" name="name" required autocomplete="off" .value=${current} />
      ${
        d.kind === "create"
          ? html`<label for="artifact-location">Artifact location (optional)</label>
              <input id="artifact-location" name="artifact_location" autocomplete="off" placeholder="The server's default" />`
          : nothing
      }
      <p class="hint muted">Slashes group experiments into folders: <code>team/project/baseline</code>.</p>
    </form>`;
  }
}
customElements.define("tl-experiments-page", TlExperimentsPage);
