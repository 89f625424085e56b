import type { FileInfo } from "@tracklite/schemas";
import { css, html, LitElement, nothing, type PropertyValues } from "lit";
import "../components/error.js";
import { icons } from "../components/icons.js";
import "../components/skeleton.js";
import "../components/split.js";
import { formatBytes } from "../lib/format.js";
import { href } from "../router.js";
import { shared } from "../styles.js";
import "./artifact-preview.js";
import { baseName, isModelDir } from "./preview-kind.js";
import { openRegisterDialog } from "./register.js";
import type { ArtifactRoot } from "./sources.js";

type Listing = { files: FileInfo[] } | { error: unknown } | "loading";

const key = (root: string, dir: string) => `${root}\u0000${dir}`;
const parentOf = (path: string) => path.split("/").slice(0, -1).join("/");
/** "", "a", "a/b" for "a/b/c". */
const ancestors = (path: string) => {
  const parts = path.split("/").filter(Boolean);
  return parts.map((_, i) => parts.slice(0, i).join("/"));
};

/**
 * The Artifacts tab: a lazily expanded tree (one listing per opened directory) beside the selected item's preview.
 * The selection lives in the URL (`src` = root, `path`), so every file is a link. A directory holding an MLmodel file
 * gets "Register model".
 */
export class TlArtifactBrowser extends LitElement {
  static override properties = {
    roots: { attribute: false },
    src: {},
    path: {},
    basePath: { attribute: false },
    query: { attribute: false },
    listings: { state: true },
    expanded: { state: true },
  };
  declare roots: ArtifactRoot[];
  /** The selected root's id ("" = the run's artifacts). */
  declare src: string;
  /** The selected file or directory ("" = the root). */
  declare path: string;
  /** The page's route and query: links keep every other query value. */
  declare basePath: string;
  declare query: URLSearchParams;
  declare listings: Map<string, Listing>;
  declare expanded: Set<string>;

  static override styles = [
    shared,
    css`
      :host { display: block; }
      tl-split { height: calc(100vh - 190px); min-height: 360px; border: 1px solid var(--tl-border); border-radius: var(--tl-radius); }
      .tree { padding: 4px 0; font-size: 13px; }
      .row { display: flex; align-items: center; height: 26px; padding-right: 8px; gap: 2px; }
      .row:hover { background: var(--tl-bg-hover); }
      .row[aria-selected="true"] { background: var(--tl-bg-selected); }
      .row a { flex: 1; min-width: 0; display: flex; gap: 6px; align-items: center; color: var(--tl-fg); padding: 0 2px; }
      .row a span { overflow: hidden; text-overflow: ellipsis; white-space: nowrap; }
      .row a:hover { text-decoration: none; }
      .row .size { color: var(--tl-muted); font-size: 11.5px; font-variant-numeric: tabular-nums; white-space: nowrap; }
      .twisty { width: 18px; height: 18px; padding: 0; border: 0; background: none; display: inline-flex; align-items: center; justify-content: center; color: var(--tl-muted); }
      .twisty.open svg { transform: rotate(90deg); }
      .twisty.none { visibility: hidden; }
      .root > a { font-weight: 600; }
      .msg { font-size: 12px; padding: 2px 8px; }
      .pane { padding: 10px 12px; display: flex; flex-direction: column; min-height: 100%; box-sizing: border-box; }
      .pane tl-artifact-preview { flex: 1; }
      .dirhead { display: flex; align-items: center; gap: 8px; margin-bottom: 8px; flex-wrap: wrap; }
      .dirhead .name { font-weight: 600; font-family: var(--tl-mono); font-size: 13px; }
      table.list { font-size: 12.5px; margin-bottom: 12px; }
      table.list td.s { text-align: right; color: var(--tl-muted); font-variant-numeric: tabular-nums; width: 8em; }
      table.list a { display: inline-flex; gap: 6px; align-items: center; }
      .empty { padding: 16px; }
    `,
  ];

  constructor() {
    super();
    this.roots = [];
    this.src = "";
    this.path = "";
    this.basePath = "/";
    this.query = new URLSearchParams();
    this.listings = new Map();
    this.expanded = new Set();
  }

  override willUpdate(changed: PropertyValues<this>) {
    if (changed.has("roots")) {
      // The element lives for one run (the page keys it by run id); logged-model roots may come and go.
      const ids = new Set(this.roots.map((r) => r.id));
      const keep = (k: string) => ids.has(k.split("\u0000")[0] ?? "");
      this.listings = new Map([...this.listings].filter(([k]) => keep(k)));
      this.expanded = new Set([key("", ""), ...[...this.expanded].filter(keep)]);
    }
    if (changed.has("roots") || changed.has("src") || changed.has("path")) {
      // Open the way to the selection, and the selected directory itself.
      const open = new Set(this.expanded);
      for (const dir of ancestors(this.path)) open.add(key(this.src, dir));
      open.add(key(this.src, this.path));
      this.expanded = open;
      for (const k of open) this.ensure(k);
    }
  }

  /** Lists a directory once (again after an error, or on `refresh`). */
  private ensure(k: string, force = false) {
    const have = this.listings.get(k);
    if (have && !force && !(typeof have === "object" && "error" in have)) return;
    const [rootId = "", dir = ""] = k.split("\u0000");
    const root = this.roots.find((r) => r.id === rootId);
    if (!root) return;
    this.setListing(k, "loading");
    root.list(dir).then(
      (files) => this.setListing(k, { files: sortFiles(files) }),
      (error) => this.setListing(k, { error }),
    );
  }

  private setListing(k: string, l: Listing) {
    this.listings = new Map(this.listings).set(k, l);
  }

  /** Reads every open directory again (the Refresh button; a running run may add files). */
  refresh() {
    for (const k of this.expanded) this.ensure(k, true);
  }

  private toggle(k: string) {
    const next = new Set(this.expanded);
    if (next.has(k)) next.delete(k);
    else {
      next.add(k);
      this.ensure(k);
    }
    this.expanded = next;
  }

  private linkFor(rootId: string, path: string) {
    const q = new URLSearchParams(this.query);
    q.set("tab", "artifacts");
    if (rootId) q.set("src", rootId);
    else q.delete("src");
    if (path) q.set("path", path);
    else q.delete("path");
    return href(this.basePath, q);
  }

  /** The selected entry's FileInfo, from its parent's listing (undefined for a root or while loading). */
  private selectedInfo(): FileInfo | undefined {
    if (!this.path) return undefined;
    const l = this.listings.get(key(this.src, parentOf(this.path)));
    return l && typeof l === "object" && "files" in l ? l.files.find((f) => f.path === this.path) : undefined;
  }

  private onTreeKey(e: KeyboardEvent) {
    const links = [...this.renderRoot.querySelectorAll<HTMLAnchorElement>(".tree a[data-key]")];
    const i = links.indexOf(e.composedPath()[0] as HTMLAnchorElement);
    if (i < 0) return;
    const current = links[i] as HTMLAnchorElement;
    const k = current.dataset.key ?? "";
    const isDir = current.dataset.dir === "1";
    let target: HTMLAnchorElement | undefined;
    if (e.key === "ArrowDown") target = links[i + 1];
    else if (e.key === "ArrowUp") target = links[i - 1];
    else if (e.key === "Home") target = links[0];
    else if (e.key === "End") target = links[links.length - 1];
    else if (e.key === "ArrowRight" && isDir) {
      if (!this.expanded.has(k)) this.toggle(k);
      else target = links[i + 1];
    } else if (e.key === "ArrowLeft") {
      if (isDir && this.expanded.has(k)) this.toggle(k);
      else {
        const [rootId = "", p = ""] = k.split("\u0000");
        target = links.find((a) => a.dataset.key === key(rootId, parentOf(p)) && p !== "");
      }
    } else return;
    e.preventDefault();
    target?.focus();
  }

  private renderRow(rootId: string, f: FileInfo, depth: number, isRoot = false, label?: string): unknown {
    const k = key(rootId, f.path);
    const open = f.is_dir && this.expanded.has(k);
    const selected = rootId === this.src && f.path === this.path;
    const name = label ?? baseName(f.path);
    return html`<div
        class="row ${isRoot ? "root" : ""}"
        role="treeitem"
        aria-level=${depth + 1}
        aria-selected=${selected ? "true" : "false"}
        aria-expanded=${f.is_dir ? (open ? "true" : "false") : nothing}
        style="padding-left:${4 + depth * 14}px"
      >
        <button
          class="twisty ${f.is_dir ? (open ? "open" : "") : "none"}"
          tabindex="-1"
          aria-label="${open ? "Collapse" : "Expand"} ${name}"
          @click=${() => this.toggle(k)}
        >${icons.chevron}</button>
        <a
          href=${this.linkFor(rootId, f.path)}
          data-key=${k}
          data-dir=${f.is_dir ? "1" : "0"}
          tabindex=${selected ? "0" : "-1"}
          title=${f.path || name}
          @click=${() => {
            if (f.is_dir && !open) this.toggle(k);
          }}
        >${f.is_dir ? (open ? icons.folderOpen : icons.folder) : icons.file}<span>${name}</span></a>
        ${f.is_dir || f.file_size === undefined ? nothing : html`<span class="size">${formatBytes(f.file_size)}</span>`}
      </div>
      ${open ? this.renderChildren(rootId, f.path, depth + 1) : nothing}`;
  }

  private renderChildren(rootId: string, dir: string, depth: number): unknown {
    const l = this.listings.get(key(rootId, dir));
    const pad = `padding-left:${4 + depth * 14 + 20}px`;
    if (!l || l === "loading") return html`<div class="msg muted" style=${pad}>Loading…</div>`;
    if ("error" in l) {
      return html`<div class="msg" style=${pad}>
        <tl-error .error=${l.error} @retry=${() => this.ensure(key(rootId, dir), true)}></tl-error>
      </div>`;
    }
    if (l.files.length === 0) return html`<div class="msg muted" style=${pad}>Empty</div>`;
    return l.files.map((f) => this.renderRow(rootId, f, depth));
  }

  private renderTree() {
    const multi = this.roots.length > 1;
    return html`<div class="tree" role="tree" aria-label="Artifacts" @keydown=${this.onTreeKey}>
      ${this.roots.map((r) =>
        multi
          ? this.renderRow(r.id, { path: "", is_dir: true }, 0, true, r.id ? `${r.label} (logged model)` : r.label)
          : this.renderChildren(r.id, "", 0),
      )}
    </div>`;
  }

  private register(root: ArtifactRoot, dir: string) {
    void openRegisterDialog(root.registerTarget(dir), () =>
      this.dispatchEvent(new CustomEvent("model-registered", { bubbles: true, composed: true })),
    );
  }

  private renderDir(root: ArtifactRoot, dir: string) {
    const l = this.listings.get(key(root.id, dir));
    const title = dir || (root.id ? `${root.label} (logged model ${root.id})` : root.label);
    const files = l && typeof l === "object" && "files" in l ? l.files : undefined;
    const model = files ? isModelDir(files) : false;
    return html`<div class="dirhead">
        ${icons.folderOpen}<span class="name">${title}</span>
        <span class="spacer"></span>
        ${model ? html`<button class="primary" @click=${() => this.register(root, dir)}>Register model</button>` : nothing}
        <button @click=${() => this.refresh()} title="List the open folders again">Refresh</button>
      </div>
      ${
        !l || l === "loading"
          ? html`<tl-skeleton .rows=${4} label="Listing ${title}"></tl-skeleton>`
          : "error" in l
            ? html`<tl-error .error=${l.error} @retry=${() => this.ensure(key(root.id, dir), true)}></tl-error>`
            : l.files.length === 0
              ? html`<p class="muted empty">
                  ${dir ? "This folder is empty." : "No artifacts logged. Log files with mlflow.log_artifact(…) or mlflow.log_text(…)."}
                </p>`
              : html`<table class="list">
                  <thead><tr><th scope="col">Name</th><th scope="col" class="s">Size</th></tr></thead>
                  <tbody>
                    ${l.files.map(
                      (f) => html`<tr>
                        <td><a href=${this.linkFor(root.id, f.path)}>${f.is_dir ? icons.folder : icons.file}${baseName(f.path)}</a></td>
                        <td class="s">${f.is_dir ? "" : formatBytes(f.file_size ?? 0)}</td>
                      </tr>`,
                    )}
                  </tbody>
                </table>`
      }
      ${
        model && files
          ? html`<tl-artifact-preview
              .url=${root.url(dir ? `${dir}/MLmodel` : "MLmodel")}
              .path=${dir ? `${dir}/MLmodel` : "MLmodel"}
              .size=${files.find((f) => baseName(f.path) === "MLmodel")?.file_size}
            ></tl-artifact-preview>`
          : nothing
      }`;
  }

  private renderPane() {
    const root = this.roots.find((r) => r.id === this.src) ?? this.roots[0];
    if (!root) return nothing;
    if (!this.path) return this.renderDir(root, "");
    const info = this.selectedInfo();
    const parent = this.listings.get(key(root.id, parentOf(this.path)));
    if (!info) {
      if (!parent || parent === "loading")
        return html`<tl-skeleton .rows=${6} label="Loading ${this.path}"></tl-skeleton>`;
      if ("error" in parent) return html`<tl-error .error=${parent.error} @retry=${() => this.refresh()}></tl-error>`;
      return html`<p class="muted empty">No artifact at ${this.path}. <a href=${this.linkFor(root.id, "")}>Back to the top</a></p>`;
    }
    if (info.is_dir) return this.renderDir(root, info.path);
    const isMlmodel = baseName(info.path) === "MLmodel";
    return html`<tl-artifact-preview .url=${root.url(info.path)} .path=${info.path} .size=${info.file_size}>
      ${
        isMlmodel
          ? html`<button slot="actions" class="primary" @click=${() => this.register(root, parentOf(info.path))}>
              Register model
            </button>`
          : nothing
      }
    </tl-artifact-preview>`;
  }

  override updated(changed: PropertyValues<this>) {
    // Roving focus: one tree link is in the tab order (the selected one, else the first).
    const links = this.renderRoot.querySelectorAll<HTMLAnchorElement>(".tree a[data-key]");
    if (links.length && ![...links].some((a) => a.tabIndex === 0)) (links[0] as HTMLAnchorElement).tabIndex = 0;
    if (changed.has("src") || changed.has("path")) {
      this.renderRoot.querySelector('.row[aria-selected="true"]')?.scrollIntoView({ block: "nearest" });
    }
  }

  override render() {
    const only = this.roots.length === 1 ? this.roots[0] : undefined;
    const top = only && this.listings.get(key(only.id, ""));
    if (only && top && typeof top === "object" && "files" in top && top.files.length === 0) {
      // Nothing to browse: no tree, just the hint.
      return html`<p class="muted empty">No artifacts logged. Log files with mlflow.log_artifact(…) or mlflow.log_text(…).</p>`;
    }
    return html`<tl-split .size=${28} .min=${180} storage-key="artifacts">
      <div slot="start">${this.renderTree()}</div>
      <div slot="end" class="pane">${this.renderPane()}</div>
    </tl-split>`;
  }
}
customElements.define("tl-artifact-browser", TlArtifactBrowser);

/** Folders first, then by name. */
function sortFiles(files: FileInfo[]): FileInfo[] {
  return [...files].sort((a, b) => Number(b.is_dir) - Number(a.is_dir) || a.path.localeCompare(b.path));
}
