import type { WebhookEventName, WebhookTestResult } from "@tracklite/schemas";
import { type DeliveryTarget, deliver, describeFailure } from "./deliver.js";
import { EXAMPLE_PAYLOADS } from "./examples.js";
import type { DeliveryPolicy } from "./options.js";
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
}

/**
 * Turns registry changes into deliveries off the request path: `notify` returns at once, and the lookups and POSTs
 * run afterwards, at most `maxConcurrentDeliveries` at a time, so a slow receiver never delays an API answer. A
 * failed delivery is logged and dropped, as in the reference.
 * @see mlflow/webhooks/delivery.py deliver_webhook, test_webhook
 */
export class WebhookDispatcher {
  readonly #inFlight = new Set<Promise<unknown>>();
  readonly #waiting: (() => void)[] = [];
  #running = 0;

  constructor(
    private readonly lookups: WebhookLookups,
    private readonly policy: DeliveryPolicy,
  ) {}

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

  async #dispatch(change: RegistryChange, workspace: string | undefined): Promise<void> {
    try {
      const found = await toWebhookEvent(change, (name) => this.lookups.isPrompt(name, workspace));
      if (!found) return;
      for (const hook of await this.lookups.subscribers(found.event, workspace)) {
        if (!hook.active) continue;
        this.#track(
          this.#limited(() => deliver(hook, found.event, found.data, this.policy)).catch((err: unknown) =>
            this.policy.log(`Failed to send webhook to ${hook.url} for event ${found.event}:`, err),
          ),
        );
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

  /** Runs `work` once a delivery slot is free; a finished delivery hands its slot to the next in line. */
  async #limited<T>(work: () => Promise<T>): Promise<T> {
    if (this.#running >= this.policy.maxConcurrentDeliveries) {
      await new Promise<void>((resolve) => this.#waiting.push(resolve));
    } else {
      this.#running++;
    }
    try {
      return await work();
    } finally {
      const next = this.#waiting.shift();
      if (next) next();
      else this.#running--;
    }
  }
}
