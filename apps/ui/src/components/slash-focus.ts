import type { ReactiveController, ReactiveControllerHost } from "lit";

/** Whether a key event comes from somewhere the user types (an input, textarea, select or editable content). */
const fromTyping = (e: Event) =>
  e
    .composedPath()
    .some((el) => el instanceof HTMLElement && (/^(INPUT|TEXTAREA|SELECT)$/.test(el.tagName) || el.isContentEditable));

/**
 * `/` focuses the host's search or filter box while the host is connected, unless the user is typing somewhere, a
 * modifier is held, or `enabled()` says no (e.g. while a dialog is open).
 */
export class SlashFocus implements ReactiveController {
  constructor(
    host: ReactiveControllerHost,
    private readonly focus: () => void,
    private readonly enabled: () => boolean = () => true,
  ) {
    host.addController(this);
  }

  hostConnected() {
    window.addEventListener("keydown", this.onKey);
  }

  hostDisconnected() {
    window.removeEventListener("keydown", this.onKey);
  }

  private onKey = (e: KeyboardEvent) => {
    if (e.key !== "/" || e.ctrlKey || e.metaKey || e.altKey || !this.enabled() || fromTyping(e)) return;
    e.preventDefault();
    this.focus();
  };
}
