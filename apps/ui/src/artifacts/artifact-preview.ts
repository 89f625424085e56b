import { css, html, LitElement, nothing, type PropertyValues } from "lit";
import "../components/error.js";
import { icons } from "../components/icons.js";
import "../components/skeleton.js";
import { formatBytes } from "../lib/format.js";
import { shared } from "../styles.js";
import { type DelimitedTable, parseDelimited, separatorFor } from "./delimited.js";
import "./mlmodel-view.js";
import { client } from "../api.js";
import { baseName, extension, looksBinary, PREVIEW_LIMIT, type PreviewPlan, planPreview } from "./preview-kind.js";
import { responseHead } from "./read-head.js";
import { blobUrl, downloadWithCredentials, signedIn } from "./with-credentials.js";

/** Rows of a CSV/TSV preview. */
const TABLE_ROWS = 500;

type Content =
  | { state: "idle" }
  | { state: "loading" }
  | { state: "error"; error: unknown }
  | { state: "text"; text: string; truncated: boolean; total: number | undefined; binary: boolean };

/** "256 KB", "12 MB": sizes for a sentence, without a trailing ".0". */
const size = (n: number) => formatBytes(n).replace(".0 ", " ");

/**
 * The preview of one artifact file: images inline, text and logs, pretty JSON, YAML as text, the MLmodel file with
 * its signature, CSV/TSV as a table, HTML in a sandboxed frame (no scripts, no same-origin access). Text kinds read at
 * most the first 256 KB of the download and say so.
 */
export class TlArtifactPreview extends LitElement {
  static override properties = {
    url: {},
    path: {},
    size: { type: Number },
    content: { state: true },
    forceText: { state: true },
    raw: { state: true },
    actualSize: { state: true },
    imageSrc: { state: true },
  };
  declare url: string;
  declare path: string;
  declare size: number | undefined;
  declare content: Content;
  /** The user asked to see a file of unknown type as text. */
  declare forceText: boolean;
  /** Show an MLmodel or JSON file as its raw text. */
  declare raw: boolean;
  /** Show an image at its own size rather than fitted. */
  declare actualSize: boolean;
  /** The image's source: the URL, or (when signed in) a blob: URL of it fetched with the credentials. */
  declare imageSrc: string;
  private abort: AbortController | undefined;

  static override styles = [
    shared,
    css`
      :host { display: flex; flex-direction: column; min-height: 0; min-width: 0; }
      .bar { display: flex; align-items: center; gap: 8px; padding: 0 0 8px; flex-wrap: wrap; }
      .name { font-weight: 600; font-family: var(--tl-mono); font-size: 13px; overflow-wrap: anywhere; }
      .note { font-size: 12px; margin: 0 0 6px; }
      .body { flex: 1; min-height: 0; overflow: auto; border: 1px solid var(--tl-border); border-radius: var(--tl-radius); }
      pre {
        margin: 0; padding: 8px 10px; font-family: var(--tl-mono); font-size: 12px; line-height: 1.5;
        white-space: pre-wrap; overflow-wrap: anywhere; tab-size: 4;
      }
      .img { padding: 8px; background: repeating-conic-gradient(var(--tl-bg-alt) 0 25%, var(--tl-bg) 0 50%) 0 0 / 16px 16px; }
      .img img { display: block; max-width: 100%; height: auto; cursor: zoom-in; }
      .img.actual img { max-width: none; cursor: zoom-out; }
      table { font-size: 12px; font-family: var(--tl-mono); width: auto; min-width: 40%; }
      thead th { position: sticky; top: 0; z-index: 1; white-space: nowrap; }
      td { white-space: pre-wrap; max-width: 40ch; overflow-wrap: anywhere; }
      td.n, th.n { color: var(--tl-muted); text-align: right; font-variant-numeric: tabular-nums; }
      iframe { width: 100%; height: 100%; min-height: 480px; border: 0; background: #fff; display: block; }
      .empty { padding: 16px; }
      a.button { display: inline-flex; gap: 4px; align-items: center; color: var(--tl-fg); text-decoration: none; }
    `,
  ];

  constructor() {
    super();
    this.url = "";
    this.path = "";
    this.size = undefined;
    this.content = { state: "idle" };
    this.forceText = false;
    this.raw = false;
    this.actualSize = false;
    this.imageSrc = "";
  }

  override disconnectedCallback() {
    this.abort?.abort();
    this.dropImage();
    super.disconnectedCallback();
  }

  override willUpdate(changed: PropertyValues<this>) {
    if (changed.has("url") || changed.has("path")) {
      this.forceText = false;
      this.raw = false;
      this.actualSize = false;
      this.content = { state: "idle" };
      this.dropImage();
      const plan = this.plan();
      if (this.needsText(plan)) void this.load();
      else if (plan.kind === "image" && !plan.tooLarge) void this.loadImage();
    }
  }

  private plan(): PreviewPlan {
    return planPreview(this.path, this.size);
  }

  private needsText(plan: PreviewPlan) {
    return plan.kind !== "image" && (plan.kind !== "unknown" || this.forceText);
  }

  private dropImage() {
    if (this.imageSrc.startsWith("blob:")) URL.revokeObjectURL(this.imageSrc);
    this.imageSrc = "";
  }

  /** The image's source: the plain URL, or a blob: URL when the server wants the tab's credentials. */
  private async loadImage() {
    if (!signedIn()) {
      this.imageSrc = this.url;
      return;
    }
    this.abort?.abort();
    const abort = new AbortController();
    this.abort = abort;
    try {
      const src = await blobUrl(this.url, abort.signal);
      if (abort.signal.aborted) URL.revokeObjectURL(src);
      else this.imageSrc = src;
    } catch (error) {
      if (!abort.signal.aborted) this.content = { state: "error", error };
    }
  }

  /** Reads the head of the file (the whole file when it is small). */
  private async load() {
    this.abort?.abort();
    const abort = new AbortController();
    this.abort = abort;
    this.content = { state: "loading" };
    try {
      const res = await client.transport.requestUrl("GET", this.url, { signal: abort.signal });
      const head = await responseHead(res, PREVIEW_LIMIT);
      if (abort.signal.aborted) return;
      this.content = {
        state: "text",
        text: head.text,
        truncated: head.truncated,
        total: head.total ?? this.size,
        binary: looksBinary(head.bytes),
      };
    } catch (error) {
      if (!abort.signal.aborted) this.content = { state: "error", error };
    }
  }

  private renderPartialNote(c: Extract<Content, { state: "text" }>) {
    if (!c.truncated) return nothing;
    const total = c.total ?? this.size;
    return html`<p class="note muted" role="note">
      Showing the first ${size(PREVIEW_LIMIT)}${total ? ` of ${size(total)}` : ""}. Download the file to see all of it.
    </p>`;
  }

  private renderTable(t: DelimitedTable, c: Extract<Content, { state: "text" }>) {
    if (t.header.length === 0) return html`<p class="muted empty">Empty file.</p>`;
    const total = c.total ?? this.size;
    const note = c.truncated
      ? `Showing the first ${t.rows.length} rows, read from the first ${size(PREVIEW_LIMIT)}${total ? ` of ${size(total)}` : ""}.`
      : t.more
        ? `Showing the first ${t.rows.length} rows.`
        : `${t.rows.length} rows × ${t.header.length} columns.`;
    return html`<p class="note muted" role="note">${note}</p>
      <div class="body">
        <table>
          <thead>
            <tr><th class="n" scope="col">#</th>${t.header.map((h) => html`<th scope="col">${h}</th>`)}</tr>
          </thead>
          <tbody>
            ${t.rows.map((r, i) => html`<tr><td class="n">${i + 1}</td>${r.map((v) => html`<td>${v}</td>`)}</tr>`)}
          </tbody>
        </table>
      </div>`;
  }

  private renderJson(text: string) {
    try {
      return html`<div class="body"><pre>${JSON.stringify(JSON.parse(text), null, 2)}</pre></div>`;
    } catch (e) {
      return html`<p class="note muted">Not valid JSON (${(e as Error).message}); shown as text.</p>
        <div class="body"><pre>${text}</pre></div>`;
    }
  }

  private renderText(plan: PreviewPlan) {
    const c = this.content;
    if (c.state === "loading" || c.state === "idle") {
      return html`<tl-skeleton .rows=${8} label="Loading ${baseName(this.path)}"></tl-skeleton>`;
    }
    if (c.state === "error") return html`<tl-error .error=${c.error} @retry=${() => this.load()}></tl-error>`;
    if (c.binary) return html`<p class="muted empty">This looks like a binary file; download it to open it.</p>`;
    const kind = this.raw ? "text" : plan.kind;
    let body: unknown;
    switch (kind) {
      case "json":
        body = this.renderJson(c.text);
        break;
      case "csv":
      case "tsv":
        // The table says itself how much it shows.
        return this.renderTable(parseDelimited(c.text, separatorFor(this.path), TABLE_ROWS, c.truncated), c);
      case "html":
        body = html`<div class="body"><iframe sandbox="" title="Preview of ${baseName(this.path)}" .srcdoc=${c.text}></iframe></div>`;
        break;
      case "mlmodel":
        body = html`<tl-mlmodel-view .text=${c.text}></tl-mlmodel-view>`;
        break;
      default:
        body = html`<div class="body"><pre>${c.text}</pre></div>`;
    }
    return html`${this.renderPartialNote(c)}${body}`;
  }

  private renderBody(plan: PreviewPlan) {
    if (plan.tooLarge) {
      return html`<p class="muted empty">Too large to preview (${size(this.size ?? 0)}). Download it to open it.</p>`;
    }
    if (plan.kind === "image") {
      if (this.content.state === "error") {
        return html`<tl-error .error=${this.content.error} @retry=${() => this.loadImage()}></tl-error>`;
      }
      if (!this.imageSrc) return html`<tl-skeleton .rows=${3} label="Loading the image"></tl-skeleton>`;
      return html`<div class="body img ${this.actualSize ? "actual" : ""}">
        <img
          src=${this.imageSrc}
          alt=${baseName(this.path)}
          title=${this.actualSize ? "Click to fit" : "Click for full size"}
          @click=${() => {
            this.actualSize = !this.actualSize;
          }}
        />
      </div>`;
    }
    if (plan.kind === "unknown" && !this.forceText) {
      const ext = extension(this.path);
      return html`<p class="muted empty">
        No preview for ${ext ? `.${ext} files` : "this file"}.
        <button
          @click=${() => {
            this.forceText = true;
            void this.load();
          }}
        >Show as text</button>
      </p>`;
    }
    return this.renderText(plan);
  }

  override render() {
    if (!this.path) return nothing;
    const plan = this.plan();
    const canRaw = (plan.kind === "mlmodel" || plan.kind === "json") && this.content.state === "text";
    return html`<div class="bar">
        ${icons.file}<span class="name">${this.path}</span>
        ${this.size !== undefined ? html`<span class="muted">${formatBytes(this.size)}</span>` : nothing}
        <span class="spacer"></span>
        <slot name="actions"></slot>
        ${
          canRaw
            ? html`<button @click=${() => {
                this.raw = !this.raw;
              }}>${this.raw ? "Formatted" : "Raw"}</button>`
            : nothing
        }
        <a
          class="button"
          href=${this.url}
          download=${baseName(this.path)}
          @click=${(e: MouseEvent) => downloadWithCredentials(e, this.url, baseName(this.path))}
        >${icons.download} Download</a>
      </div>
      ${this.renderBody(plan)}`;
  }
}
customElements.define("tl-artifact-preview", TlArtifactPreview);
