import { html, type TemplateResult } from "lit";

/**
 * A small set of inline-SVG icons (16×16 grid, stroked with `currentColor`, 1em square). Decorative: the button or
 * text next to an icon carries the label (`aria-label` on icon-only buttons).
 */
const icon = (d: string): TemplateResult =>
  html`<svg class="icon" viewBox="0 0 16 16" aria-hidden="true" focusable="false" fill="none" stroke="currentColor"
    stroke-width="1.5" stroke-linecap="round" stroke-linejoin="round"><path d=${d}></path></svg>`;

export const icons = {
  copy: icon("M5.5 5.5h7v8h-7zM3.5 10.5v-8h7"),
  check: icon("M3 8.5l3 3 7-7"),
  chevron: icon("M6 3.5l4.5 4.5L6 12.5"),
  chevronDown: icon("M3.5 6l4.5 4.5L12.5 6"),
  search: icon("M7 2.5a4.5 4.5 0 1 0 0 9a4.5 4.5 0 1 0 0-9zM10.3 10.3L14 14"),
  trash: icon("M2.5 4h11M6 4V2.5h4V4M4 4l.7 9.5h6.6L12 4M6.5 6.5v5M9.5 6.5v5"),
  restore: icon("M2.5 3v3.5H6M2.9 6.5A5.5 5.5 0 1 1 2.5 9"),
  pin: icon("M6 2h4M6.5 2v4L4 9h8L9.5 6V2M8 9v5"),
  eye: icon("M1.5 8S4 3.5 8 3.5 14.5 8 14.5 8 12 12.5 8 12.5 1.5 8 1.5 8zM8 6a2 2 0 1 0 0 4a2 2 0 1 0 0-4z"),
  eyeOff: icon(
    "M2 2l12 12M6.6 3.7A6 6 0 0 1 8 3.5C12 3.5 14.5 8 14.5 8a11 11 0 0 1-1.9 2.5M4.2 4.9C2.5 6.1 1.5 8 1.5 8S4 12.5 8 12.5a6 6 0 0 0 2.6-.6M6.6 6.6a2 2 0 0 0 2.8 2.8",
  ),
  download: icon("M8 2v8.5M4.5 7L8 10.5 11.5 7M2.5 13.5h11"),
  folder: icon("M1.5 4V12.5h13v-7H7.5L6 4z"),
  folderOpen: icon("M1.5 12.5V3.5H6L7.5 5h5v2M1.5 12.5l2-5.5h11l-2 5.5z"),
  file: icon("M3.5 1.5h6l3 3v10h-9zM9.5 1.5v3h3"),
  external: icon("M9 2.5h4.5V7M13.5 2.5 7.5 8.5M11.5 9.5v4h-9v-9h4"),
  close: icon("M4 4l8 8M12 4l-8 8"),
  plus: icon("M8 3v10M3 8h10"),
  edit: icon("M10.5 2.5l3 3L6 13H3v-3zM9 4l3 3"),
  sun: icon(
    "M8 5a3 3 0 1 0 0 6a3 3 0 1 0 0-6zM8 1v1.5M8 13.5V15M1 8h1.5M13.5 8H15M3 3l1 1M12 12l1 1M3 13l1-1M12 4l1-1",
  ),
  moon: icon("M13.5 9.5A6 6 0 0 1 6.5 2.5a6 6 0 1 0 7 7z"),
  monitor: icon("M1.5 2.5h13v8.5h-13zM5.5 14h5M8 11v3"),
  /** Status icons: shapes differ, so status never depends on colour alone. */
  running: icon("M8 2a6 6 0 1 0 6 6M8 5v3l2 1.5"),
  finished: icon("M8 2a6 6 0 1 0 0 12a6 6 0 1 0 0-12zM5.5 8l2 2 3-3.5"),
  failed: icon("M8 2a6 6 0 1 0 0 12a6 6 0 1 0 0-12zM6 6l4 4M10 6l-4 4"),
  killed: icon("M3 3h10v10H3zM6 6h4v4H6z"),
  scheduled: icon("M8 2a6 6 0 1 0 0 12a6 6 0 1 0 0-12zM8 4.5V8h3"),
  pending: icon("M4 8h.01M8 8h.01M12 8h.01"),
  user: icon("M8 2.5a2.75 2.75 0 1 0 0 5.5a2.75 2.75 0 1 0 0-5.5zM2.5 14c.6-2.8 2.9-4.5 5.5-4.5s4.9 1.7 5.5 4.5"),
  warning: icon("M8 1.5l6.5 12h-13zM8 6v3.5M8 11.5v.01"),
} as const;

export type IconName = keyof typeof icons;
