import type { WebhookEventName, WebhookTestResult } from "@tracklite/schemas";
import { type DeliveryTarget, deliver, describeFailure } from "./deliver.js";
import { EXAMPLE_PAYLOADS } from "./examples.js";
import type { DeliveryPolicy } from "./options.js";
import type { DeliveryOutbox, PendingDelivery } from "./outbox.js";
import { type RegistryChange, type RegistryChangeSink, toWebhookEvent } from "./registry-changes.js";

/** A webhook subscribed to an event, as delivery needs it. */
export interface Subscriber extends DeliveryTarget {
  webhookId: string;
  active: boolean;
}

/**
 * What the dispatcher reads from the store, within the workspace the change was made in (undefined when workspaces
 * are off): a webhook hears only its own workspace's events.
 */
export interface WebhookLookups {
  /** Every webhook (active or disabled) subscribed to the event. */
  subscribers(event: WebhookEventName, workspace: string | undefined): Promise<Subscriber[]>;
  /** Whether a registered model is a prompt (`mlflow.prompt.is_prompt=true`). */
  isPrompt(name: string, workspace: string | undefined): Promise<boolean>;
  /** One webhook by id, in any workspace (a kept delivery's target, read again when it is sent). */
  webhook(webhookId: string): Promise<Subscriber | undefined>;
}

/** A delivery scheduled in this process; `claimed` when it came from the outbox (this process holds its row). */
interface Job {
  pending: PendingDelivery;
  target: DeliveryTarget;
  claimed: boolean;
  controller: AbortController;
}

/** What a shutdown did with the deliveries it found. */
export interface DeliveryShutdown {
  /** Every delivery finished within the grace period. */
  finished: boolean;
  /** Deliveries left unsent and kept in the outbox for another process (or lost when there is none). */
  kept: number;
}

/**
 * Turns registry changes into deliveries off the request path: `notify` returns at once, and the lookups and POSTs
 * run afterwards, at most `maxConcurrentDeliveries` at a time, so a slow receiver never delays an API answer. A
 * failed delivery is logged and dropped, as in the reference.
 *
 * Beyond the reference (whose deliveries die with its process): a graceful `shutdown` gives deliveries under way the
 * rest of the grace period, then stops them and keeps them in the outbox, from where `resume` (in this process after a
 * restart, or in any replica on the same database) claims each for one process and sends it with its original
 * delivery id.
 * @see mlflow/webhooks/delivery.py deliver_webhook, test_webhook
 */
export class WebhookDispatcher {
  readonly #inFlight = new Set<Promise<unknown>>();
  readonly #waiting: (() => void)[] = [];
  #running = 0;
  readonly #jobs = new Set<Job>();
  /** Jobs stopped by a shutdown (or scheduled after it stopped sending), to keep in the outbox. */
  readonly #unsent: Job[] = [];
  #stopping = false;
  #resumeTimer: ReturnType<typeof setInterval> | undefined;
  #resuming = false;
  /** The resume loop's step, while it runs: a finished kept delivery calls it to claim the next at once. */
  #tick: (() => void) | undefined;
  /** This process's name on the rows it claims. */
  readonly #owner = crypto.randomUUID();

  constructor(
    private readonly lookups: WebhookLookups,
    private readonly policy: DeliveryPolicy,
    private readonly outbox?: DeliveryOutbox,
  ) {}

  /**
   * How long a claim holds: the longest a delivery can take (every attempt timing out, every backoff at its cap).
   * An older claim belongs to a process that died mid-delivery.
   */
  get #leaseMs(): number {
    const { timeoutMs, backoffMaxMs, maxRetries } = this.policy;
    return Math.max(60_000, (timeoutMs + backoffMaxMs) * (maxRetries + 1));
  }

  /** The registry store's sink: schedules the change's deliveries and returns. */
  readonly notify: RegistryChangeSink = (change) => {
    this.#track(this.#dispatch(change, undefined));
  };

  /** The sink of a workspace's registry: its changes reach that workspace's webhooks only. */
  sinkFor(workspace: string | undefined): RegistryChangeSink {
    return workspace === undefined ? this.notify : (change) => this.#track(this.#dispatch(change, workspace));
  }

  /**
   * Sends the example payload of `event` to a webhook now, whatever its status, and reports the receiver's answer
   * (retried as any delivery is); `success` means a status below 400.
   */
  async test(target: DeliveryTarget, event: WebhookEventName): Promise<WebhookTestResult> {
    try {
      const res = await deliver(target, event, EXAMPLE_PAYLOADS[event], this.policy);
      return { success: res.status < 400, response_status: res.status, response_body: res.body };
    } catch (err) {
      return { success: false, error_message: `Failed to test webhook: ${describeFailure(err, target.url)}` };
    }
  }

  /** Resolves once every scheduled delivery has finished (tests; a graceful shutdown). */
  async idle(): Promise<void> {
    while (this.#inFlight.size > 0) await Promise.allSettled([...this.#inFlight]);
  }

  /**
   * Sends the deliveries kept in the outbox: claims as many as there are free delivery slots (so that a claimed one
   * starts at once and its claim never lapses while it waits in line) and schedules each; a webhook deleted or
   * disabled since is skipped. Resolves with how many were claimed.
   */
  resume(): Promise<number> {
    const work = this.#resume();
    this.#track(work);
    return work;
  }

  /** Calls `resume` now and every `intervalMs` until `shutdown` (or `stopResuming`). */
  startResuming(intervalMs: number): void {
    if (!this.outbox || this.#resumeTimer) return;
    const tick = () => {
      if (this.#resuming || this.#stopping || !this.#resumeTimer) return;
      this.#resuming = true;
      this.resume()
        .catch((err: unknown) => this.policy.log("Failed to resume kept webhook deliveries:", err))
        .finally(() => {
          this.#resuming = false;
        });
    };
    this.#resumeTimer = setInterval(tick, intervalMs);
    (this.#resumeTimer as { unref?: () => void }).unref?.();
    this.#tick = tick;
    tick();
  }

  stopResuming(): void {
    clearInterval(this.#resumeTimer);
    this.#resumeTimer = undefined;
    this.#tick = undefined;
  }

  /**
   * A graceful shutdown's part: waits for the deliveries under way until `deadline` (ms since the epoch); then stops
   * the rest and keeps them in the outbox (claimed ones are released), so that another process sends them.
   */
  async shutdown(deadline: number): Promise<DeliveryShutdown> {
    this.stopResuming();
    let timer: ReturnType<typeof setTimeout> | undefined;
    const late = new Promise<false>((resolve) => {
      timer = setTimeout(() => resolve(false), Math.max(0, deadline - Date.now()));
    });
    const finished = await Promise.race([this.idle().then(() => true as const), late]);
    clearTimeout(timer);
    if (!finished) {
      this.#stopping = true;
      for (const job of this.#jobs) job.controller.abort(new Error("The server is shutting down."));
      await this.idle();
    }
    this.#stopping = true;
    const unsent = this.#unsent.splice(0);
    if (unsent.length > 0) {
      if (this.outbox) {
        await this.outbox.save(unsent.filter((j) => !j.claimed).map((j) => j.pending));
        const claimed = unsent.filter((j) => j.claimed).map((j) => j.pending.deliveryId);
        await this.outbox.release(claimed, this.#owner);
      } else {
        this.policy.log(`${unsent.length} webhook deliveries were not sent before shutdown:`, undefined);
      }
    }
    return { finished, kept: unsent.length };
  }

  async #resume(): Promise<number> {
    const free = this.policy.maxConcurrentDeliveries - this.#jobs.size;
    // No free slot: the next look (the interval's) will do.
    if (!this.outbox || this.#stopping || free <= 0) return 0;
    const claimed = await this.outbox.claim(this.#owner, free, Date.now() - this.#leaseMs);
    for (const pending of claimed) {
      const hook = await this.lookups.webhook(pending.webhookId);
      if (!hook?.active) {
        await this.outbox.finish(pending.deliveryId, this.#owner);
        continue;
      }
      this.#send(pending, hook, true);
    }
    return claimed.length;
  }

  /** Schedules one delivery; after a shutdown stopped sending, keeps it unsent instead. */
  #send(pending: PendingDelivery, target: DeliveryTarget, claimed: boolean): void {
    const job: Job = { pending, target, claimed, controller: new AbortController() };
    if (this.#stopping) {
      this.#unsent.push(job);
      return;
    }
    this.#jobs.add(job);
    const { signal } = job.controller;
    const envelope = { deliveryId: pending.deliveryId, createdAt: pending.createdAt, signal };
    const sent = this.#limited(signal, () => deliver(target, pending.event, pending.data, this.policy, envelope)).then(
      () => true,
      (err: unknown) => {
        if (signal.aborted) return false;
        this.policy.log(`Failed to send webhook to ${target.url} for event ${pending.event}:`, err);
        return true;
      },
    );
    this.#track(
      sent
        .then(async (done) => {
          this.#jobs.delete(job);
          if (!done) this.#unsent.push(job);
          else if (claimed) {
            await this.outbox?.finish(pending.deliveryId, this.#owner);
            // Its slot is free: the next kept delivery, if any, may take it.
            this.#tick?.();
          }
        })
        .catch((err: unknown) => this.policy.log("Failed to record a kept webhook delivery as sent:", err)),
    );
  }

  async #dispatch(change: RegistryChange, workspace: string | undefined): Promise<void> {
    try {
      const found = await toWebhookEvent(change, (name) => this.lookups.isPrompt(name, workspace));
      if (!found) return;
      const createdAt = Date.now();
      for (const hook of await this.lookups.subscribers(found.event, workspace)) {
        if (!hook.active) continue;
        const pending = { deliveryId: crypto.randomUUID(), webhookId: hook.webhookId, ...found, createdAt };
        this.#send(pending, hook, false);
      }
    } catch (err) {
      this.policy.log(`Failed to deliver webhooks for a ${change.kind} change:`, err);
    }
  }

  #track(p: Promise<unknown>): void {
    this.#inFlight.add(p);
    const done = () => this.#inFlight.delete(p);
    void p.then(done, done);
  }

  /**
   * Runs `work` once a delivery slot is free; a finished delivery hands its slot to the next in line. Aborting `signal`
   * while it waits takes it out of the line.
   */
  async #limited<T>(signal: AbortSignal, work: () => Promise<T>): Promise<T> {
    if (this.#running >= this.policy.maxConcurrentDeliveries) {
      await new Promise<void>((resolve, reject) => {
        const onAbort = () => {
          const i = this.#waiting.indexOf(wake);
          if (i >= 0) this.#waiting.splice(i, 1);
          reject(signal.reason);
        };
        const wake = () => {
          signal.removeEventListener("abort", onAbort);
          resolve();
        };
        this.#waiting.push(wake);
        signal.addEventListener("abort", onAbort, { once: true });
      });
    } else {
      this.#running++;
    }
    try {
      if (signal.aborted) throw signal.reason;
      return await work();
    } finally {
      const next = this.#waiting.shift();
      if (next) next();
      else this.#running--;
    }
  }
}
