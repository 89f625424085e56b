import type { ReactiveController, ReactiveControllerHost } from "lit";

/**
 * The host's width in whole pixels (at least `min`), kept current with a ResizeObserver while it is connected, for
 * SVG charts that lay themselves out in JavaScript. The host re-renders when the width changes.
 */
export class HostWidth implements ReactiveController {
  width: number;
  private readonly ro = new ResizeObserver(([e]) => {
    if (!e) return;
    const width = Math.max(this.min, Math.floor(e.contentRect.width));
    if (width === this.width) return;
    this.width = width;
    this.host.requestUpdate();
  });

  constructor(
    private readonly host: ReactiveControllerHost & Element,
    initial: number,
    private readonly min = 320,
  ) {
    this.width = initial;
    host.addController(this);
  }

  hostConnected() {
    this.ro.observe(this.host);
  }

  hostDisconnected() {
    this.ro.disconnect();
  }
}
