import { css } from "lit";

/** Styles every page shares: buttons, inputs, tables, tags, headings. Include in a component's `static styles`. */
export const shared = css`
  :host { display: block; color: var(--tl-fg); font-family: var(--tl-font); }
  a { color: var(--tl-accent); text-decoration: none; }
  a:hover { text-decoration: underline; }
  h1 { font-size: 20px; margin: 0 0 12px; font-weight: 600; }
  h2 { font-size: 16px; margin: 16px 0 8px; font-weight: 600; }
  button, .button {
    font: inherit; border: 1px solid var(--tl-border); background: var(--tl-bg); color: var(--tl-fg);
    border-radius: var(--tl-radius); padding: 4px 10px; cursor: pointer; line-height: 1.4;
  }
  button:hover { background: var(--tl-bg-hover); }
  button.primary { background: var(--tl-accent); color: var(--tl-accent-fg); border-color: var(--tl-accent); }
  button.danger { color: var(--tl-danger); }
  button.primary.danger { background: var(--tl-danger); border-color: var(--tl-danger); color: var(--tl-accent-fg); }
  button:disabled { opacity: 0.5; cursor: default; }
  button:focus-visible, a:focus-visible, input:focus-visible, select:focus-visible, textarea:focus-visible {
    outline: 2px solid var(--tl-accent); outline-offset: 1px;
  }
  input, select, textarea {
    font: inherit; color: var(--tl-fg); background: var(--tl-bg); border: 1px solid var(--tl-border);
    border-radius: var(--tl-radius); padding: 4px 8px;
  }
  table { border-collapse: collapse; width: 100%; }
  th, td { text-align: left; padding: 4px 8px; border-bottom: 1px solid var(--tl-border); vertical-align: top; }
  th { font-weight: 600; color: var(--tl-muted); background: var(--tl-bg-alt); }
  .muted { color: var(--tl-muted); }
  .mono { font-family: var(--tl-mono); font-size: 12.5px; }
  .tag {
    display: inline-block; border: 1px solid var(--tl-border); border-radius: 999px; padding: 0 8px;
    font-size: 12px; background: var(--tl-bg-alt); margin: 0 4px 4px 0;
  }
  .error { color: var(--tl-danger); white-space: pre-wrap; }
  .toolbar { display: flex; gap: 8px; align-items: center; flex-wrap: wrap; margin-bottom: 8px; }
  .spacer { flex: 1; }
  .card { border: 1px solid var(--tl-border); border-radius: var(--tl-radius); padding: 12px; background: var(--tl-bg); }
  svg.icon { width: 1em; height: 1em; vertical-align: -0.15em; flex: none; }
  button.icon-button {
    display: inline-flex; align-items: center; justify-content: center; gap: 4px; padding: 3px 5px;
    border-color: transparent; background: transparent; color: var(--tl-muted);
  }
  button.icon-button:hover { color: var(--tl-fg); background: var(--tl-bg-hover); }
  button.ghost { border-color: transparent; background: transparent; }
  button.ghost:hover { background: var(--tl-bg-hover); }
  .num { text-align: right; font-variant-numeric: tabular-nums; }
  kbd {
    font: 11px var(--tl-mono); border: 1px solid var(--tl-border); border-bottom-width: 2px; border-radius: 4px;
    padding: 0 4px; color: var(--tl-muted); background: var(--tl-bg-alt);
  }
  .sr-only {
    position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap;
  }
`;
