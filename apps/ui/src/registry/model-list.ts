import type { RegisteredModel } from "@tracklite/schemas";
import { css, html } from "lit";
import { aliasesByVersion, userTags } from "./model-filters.js";

/**
 * What the Models and Prompts lists share: their table's look, and the Aliases and Tags cells of a registered model's
 * (or a prompt's) row.
 */
export const modelListStyles = css`
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
`;

/** The aliases of a model's versions, as `@alias: v2` chips. */
export function aliasesCell(m: RegisteredModel) {
  const aliases = Object.entries(aliasesByVersion(m.aliases)).flatMap(([v, names]) => names.map((a) => ({ a, v })));
  return html`<td class="chips" title=${aliases.map(({ a, v }) => `@${a} → version ${v}`).join("\n")}>
    ${aliases.map(({ a, v }) => html`<span class="chip alias">@${a}: v${v}</span>`)}
  </td>`;
}

/** A model's own tags (not MLflow's), the first three as chips and a count of the rest. */
export function tagsCell(m: RegisteredModel) {
  const tags = userTags(m);
  return html`<td class="chips" title=${tags.map((t) => `${t.key}: ${t.value}`).join("\n")}>
    ${tags.slice(0, 3).map((t) => html`<span class="chip">${t.key}: ${t.value}</span>`)}
    ${tags.length > 3 ? html`<span class="muted">+${tags.length - 3}</span>` : ""}
  </td>`;
}
