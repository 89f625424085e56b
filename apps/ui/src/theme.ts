/**
 * Light and dark themes as CSS custom properties on the document (they pass into every shadow root). The OS setting
 * decides unless the user picked one with the switch; the pick is kept in localStorage.
 */
export type ThemeChoice = "light" | "dark" | "system";

const KEY = "tracklite.theme";

const VARIABLES = `
:root {
  --tl-font: system-ui, -apple-system, "Segoe UI", Roboto, sans-serif;
  --tl-mono: ui-monospace, "SF Mono", Menlo, Consolas, monospace;
  --tl-bg: #ffffff; --tl-bg-alt: #f6f7f9; --tl-bg-hover: #eef1f5; --tl-bg-selected: #e3ecfd;
  --tl-fg: #1d2330; --tl-muted: #5d6778; --tl-border: #dde1e8;
  --tl-accent: #2f6fde; --tl-accent-fg: #ffffff; --tl-danger: #c8372d; --tl-ok: #2e8540; --tl-warn: #b7791f;
  --tl-radius: 6px; --tl-shadow: 0 4px 16px rgb(0 0 0 / 0.12);
  --tl-grid: #e8eaef;
  color-scheme: light;
}
:root[data-theme="dark"] {
  --tl-bg: #15181e; --tl-bg-alt: #1c2028; --tl-bg-hover: #252a34; --tl-bg-selected: #1f3357;
  --tl-fg: #e4e7ed; --tl-muted: #98a1b2; --tl-border: #303643;
  --tl-accent: #6c9ef8; --tl-accent-fg: #0b1020; --tl-danger: #f0776d; --tl-ok: #5cc47a; --tl-warn: #e5b45a;
  --tl-shadow: 0 4px 16px rgb(0 0 0 / 0.5);
  --tl-grid: #2a2f3a;
  color-scheme: dark;
}
html, body { margin: 0; height: 100%; background: var(--tl-bg); color: var(--tl-fg); font: 14px/1.45 var(--tl-font); }
`;

const media = matchMedia("(prefers-color-scheme: dark)");

export function themeChoice(): ThemeChoice {
  const v = localStorage.getItem(KEY);
  return v === "light" || v === "dark" ? v : "system";
}

/** The theme in effect now. */
export function effectiveTheme(): "light" | "dark" {
  const choice = themeChoice();
  return choice === "system" ? (media.matches ? "dark" : "light") : choice;
}

function apply() {
  document.documentElement.dataset.theme = effectiveTheme();
  window.dispatchEvent(new CustomEvent("tl-theme-change", { detail: effectiveTheme() }));
}

export function setTheme(choice: ThemeChoice) {
  if (choice === "system") localStorage.removeItem(KEY);
  else localStorage.setItem(KEY, choice);
  apply();
}

/** Installs the variables and follows the OS setting. Called once at startup. */
export function installTheme() {
  const style = document.createElement("style");
  style.textContent = VARIABLES;
  document.head.append(style);
  media.addEventListener("change", apply);
  apply();
}

/** Reads a theme variable's current value (charts draw on canvas, so they need colours as strings). */
export function cssVar(name: string): string {
  return getComputedStyle(document.documentElement).getPropertyValue(name).trim();
}
