import type { ReactiveController, ReactiveControllerHost } from "lit";

/**
 * Calls `refresh` every `intervalMs` while `active()` holds and the browser tab is visible; a hidden tab pauses it
 * and refreshes once on return. A refresh never overlaps the previous one (a slow server slows the pace instead).
 */
export class LiveRefresh implements ReactiveController {
  private timer: ReturnType<typeof setTimeout> | undefined;
  private busy = false;
  private connected = false;

  constructor(
    host: ReactiveControllerHost,
    private readonly active: () => boolean,
    private readonly refresh: () => Promise<unknown>,
    readonly intervalMs = 4000,
  ) {
    host.addController(this);
  }

  hostConnected() {
    this.connected = true;
    document.addEventListener("visibilitychange", this.onVisibility);
    this.schedule();
  }

  hostDisconnected() {
    this.connected = false;
    document.removeEventListener("visibilitychange", this.onVisibility);
    this.stop();
  }

  /** Re-reads `active()`: call after the data it looks at changed (e.g. a run became RUNNING). */
  hostUpdated() {
    if (this.active()) this.schedule();
    else this.stop();
  }

  private stop() {
    clearTimeout(this.timer);
    this.timer = undefined;
  }

  private schedule() {
    if (this.timer !== undefined || this.busy || !this.connected || !this.active()) return;
    if (document.visibilityState !== "visible") return;
    this.timer = setTimeout(() => void this.tick(), this.intervalMs);
  }

  private async tick() {
    this.timer = undefined;
    if (!this.active() || document.visibilityState !== "visible") return;
    this.busy = true;
    try {
      await this.refresh();
    } catch {
      // The host shows its own errors; keep polling.
    } finally {
      this.busy = false;
      this.schedule();
    }
  }

  private onVisibility = () => {
    if (document.visibilityState === "visible" && this.active()) {
      this.stop();
      void this.tick();
    } else this.stop();
  };
}
