import { css, html, type TemplateResult } from "lit";

/** The styles `filterTable` needs; the host adds its own column styles. */
export const filterTableStyles = css`
  :host { display: block; min-width: 0; }
  .head { display: flex; align-items: center; gap: 8px; margin: 0 0 6px; }
  h2 { margin: 0; }
  input { font-size: 12px; padding: 2px 6px; width: 14em; }
  .scroll { max-height: 480px; overflow: auto; border: 1px solid var(--tl-border); border-radius: var(--tl-radius); }
  table { font-size: 12px; }
  thead th { position: sticky; top: 0; z-index: 1; }
  tr:last-child td { border-bottom: 0; }
  .empty { padding: 8px; font-size: 12px; }
`;

/**
 * The frame of the run page's Parameters and Metrics tables: a heading with the count and a filter box over a
 * scrolling table, or a note when no row is shown (`noMatch` when the filter hides them all, `none` when there are none).
 */
export function filterTable(o: {
  title: string;
  count: number;
  filterLabel: string;
  filter: string;
  onFilter: (text: string) => void;
  shown: number;
  noMatch: string;
  none: string;
  table: () => TemplateResult;
}) {
  return html`<div class="head">
      <h2>${o.title} <span class="muted">(${o.count})</span></h2>
      <span class="spacer"></span>
      <input
        type="search"
        placeholder=${o.filterLabel}
        aria-label=${o.filterLabel}
        .value=${o.filter}
        @input=${(e: Event) => o.onFilter((e.target as HTMLInputElement).value)}
      />
    </div>
    <div class="scroll">
      ${o.shown === 0 ? html`<div class="muted empty">${o.count ? o.noMatch : o.none}</div>` : o.table()}
    </div>`;
}
