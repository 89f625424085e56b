import type { Context } from "hono";

/**
 * Which review queues a `review-queues/list` answer may show, as the permission rule decided it: every queue (no
 * mark: no auth, an admin, or a caller whose queue permission carries EDIT), only those the named user is assigned
 * to (a READ-only caller), or none. The rule marks the request; the route narrows its page, as the reference's
 * after-request filter does (the page keeps its token).
 * @see mlflow/server/auth/__init__.py filter_list_review_queues
 */
export type QueueVisibility = { assignedTo: string } | "none";

const KEY = "reviewQueueVisibility";

export function narrowQueueList(c: Context, visibility: QueueVisibility): void {
  (c.set as (key: string, value: unknown) => void)(KEY, visibility);
}

export function queueListVisibility(c: Context): QueueVisibility | undefined {
  return (c.get as (key: string) => unknown)(KEY) as QueueVisibility | undefined;
}
