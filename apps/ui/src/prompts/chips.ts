import { css } from "lit";

/** The small rounded labels of the prompt pages: aliases (`@production`), tags (`key: value`) and variables. */
export const chipStyles = css`
  .chip {
    display: inline-block; border: 1px solid var(--tl-border); border-radius: 999px; padding: 0 6px; font-size: 11.5px;
    background: var(--tl-bg-alt); margin: 1px 3px 1px 0; max-width: 100%; overflow: hidden; text-overflow: ellipsis;
    vertical-align: middle;
  }
  .chip.alias, .chip.var { font-family: var(--tl-mono); }
  .chip.var { color: var(--tl-accent); border-color: color-mix(in srgb, var(--tl-accent) 40%, transparent); }
`;
