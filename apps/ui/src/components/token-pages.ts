import { html, type ReactiveController, type ReactiveControllerHost } from "lit";
import "./error.js";
import "./skeleton.js";

/** One page of a server-paged list. */
export interface TokenPage<T> {
  items: T[];
  nextPageToken?: string | undefined;
}

/**
 * A server-paged list whose view (search, sort, page token) lives in the URL, as the Models and Prompts pages have it:
 * loads when the view's key changes (only the newest answer is kept), remembers the tokens of the pages before this
 * one (the server's tokens only go forward), debounces search typing, and draws the list with its Previous/Next
 * pager. The host re-renders whenever `data`, `loading` or `error` change.
 */
export class TokenPages<T> implements ReactiveController {
  data: { key: string; items: T[]; next: string | undefined } | undefined;
  loading = false;
  error: unknown;
  private previous: string[] = [];
  private seq = 0;
  private typing: ReturnType<typeof setTimeout> | undefined;

  constructor(
    private readonly host: ReactiveControllerHost,
    private readonly fetchPage: () => Promise<TokenPage<T>>,
  ) {
    host.addController(this);
  }

  hostDisconnected() {
    clearTimeout(this.typing);
  }

  /** Loads the view `key` names unless it is the one shown. */
  sync(key: string) {
    if (this.data?.key !== key) void this.load(key);
  }

  /** Loads the view `key` names (again). */
  async load(key: string) {
    const seq = ++this.seq;
    this.loading = true;
    this.error = undefined;
    this.host.requestUpdate();
    try {
      const page = await this.fetchPage();
      if (seq === this.seq) this.data = { key, items: page.items, next: page.nextPageToken || undefined };
    } catch (e) {
      if (seq === this.seq) this.error = e;
    } finally {
      if (seq === this.seq) {
        this.loading = false;
        this.host.requestUpdate();
      }
    }
  }

  /** Forgets the earlier pages: any view change but paging starts again at the first page. */
  restart() {
    this.previous = [];
  }

  /** Runs `apply` once the user stopped typing for a moment. */
  debounce(apply: () => void) {
    clearTimeout(this.typing);
    this.typing = setTimeout(apply, 250);
  }

  /**
   * The Previous/Next buttons (nothing when everything fits on the first page). `current` is the shown page's token;
   * `go` writes the token of the page to show into the URL.
   */
  pager(current: string, go: (token: string | undefined) => void) {
    const next = this.data?.next;
    if (!current && !next) return "";
    return html`<div class="pager">
      <button ?disabled=${!current} @click=${() => go(this.previous.pop() || undefined)}>Previous</button>
      <button ?disabled=${!next} @click=${() => {
        if (!next) return;
        this.previous.push(current);
        go(next);
      }}>Next</button>
    </div>`;
  }

  /**
   * The list as a page shows it: the error with a retry, a skeleton until the first answer, then `empty()` or a table
   * of `columns()` and `rows(items)` (faded while the next answer loads), and the pager. `key` names the view (for the
   * retry), `current` the shown page's token, `go` writes the token of the page to show into the URL.
   */
  view(o: {
    key: string;
    label: string;
    current: string;
    go: (token: string | undefined) => void;
    empty: () => unknown;
    columns: () => unknown;
    rows: (items: T[]) => unknown;
  }) {
    const { data, error, loading } = this;
    const failed = error ? html`<tl-error .error=${error} @retry=${() => this.load(o.key)}></tl-error>` : "";
    if (!data) return failed || html`<tl-skeleton .rows=${8} label=${o.label}></tl-skeleton>`;
    return html`
      ${failed}
      ${
        data.items.length === 0
          ? o.empty()
          : html`<table class=${loading ? "stale" : ""} aria-busy=${loading ? "true" : "false"}>
              ${o.columns()}
              <tbody>${o.rows(data.items)}</tbody>
            </table>`
      }
      ${this.pager(o.current, o.go)}
    `;
  }
}
