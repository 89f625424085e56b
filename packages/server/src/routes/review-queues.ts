import type { Hono } from "hono";
import { invalidParameter, notFound } from "../errors.js";
import { mount } from "../http/mount.js";
import { queueListVisibility } from "../http/review-queue-visibility.js";
import { pyList } from "../search/python-compat.js";
import type { Store } from "../store/index.js";
import { validateItemIds } from "../validation/review-queues.js";
import { storeIn } from "../workspaces/middleware.js";
import { maxResultsInRange, offsetOf, page, requestUsername } from "./review-paging.js";

/** /mlflow/review-queues/* (3.0 prefixes only). @see mlflow/server/handlers.py _create_review_queue … */
export function reviewQueueRoutes(v3: Hono, store: Store): void {
  const at = storeIn(store);

  mount(v3, "createReviewQueue", async (req, c) => {
    if (!req.queue_type) throw invalidParameter("`queue_type` must be one of USER or CUSTOM; got proto enum value 0.");
    // The owner is the signed-in user, never the client's `created_by`; unset on a server without auth.
    const review_queue = await at(c).reviewQueues.create({
      experimentId: req.experiment_id ?? "",
      name: req.name ?? "",
      queueType: req.queue_type === "USER" ? "user" : "custom",
      createdBy: requestUsername(c),
      users: req.users ?? [],
      schemaIds: req.schema_ids ?? [],
    });
    return { review_queue };
  });

  mount(v3, "getOrCreateUserQueue", async (req, c) => ({
    review_queue: await at(c).reviewQueues.getOrCreateUserQueue(req.experiment_id ?? "", req.user ?? ""),
  }));

  mount(v3, "getReviewQueue", async (req, c) => ({ review_queue: await at(c).reviewQueues.get(req.queue_id ?? "") }));

  mount(v3, "getReviewQueueByName", async (req, c) => ({
    review_queue: await at(c).reviewQueues.getByName(req.experiment_id ?? "", req.name ?? ""),
  }));

  mount(v3, "listReviewQueues", async (req, c) => {
    maxResultsInRange(req.max_results);
    const offset = offsetOf(req.page_token);
    const result = await at(c).reviewQueues.list(req.experiment_id ?? "", {
      user: req.user,
      itemId: req.item_id,
      maxResults: req.max_results ?? 1000,
      offset,
    });
    const visibility = queueListVisibility(c);
    if (visibility !== undefined)
      result.items = result.items.filter((q) => visibility !== "none" && q.users?.includes(visibility.assignedTo));
    return page("review_queues", result);
  });

  mount(v3, "updateReviewQueue", async (req, c) => ({
    review_queue: await at(c).reviewQueues.update(req.queue_id ?? "", {
      users: req.update_users ? (req.users ?? []) : undefined,
      schemaIds: req.update_schema_ids ? (req.schema_ids ?? []) : undefined,
      name: req.name,
      newOwner: req.new_owner,
    }),
  }));

  mount(v3, "deleteReviewQueue", async (req, c) => {
    await at(c).reviewQueues.delete(req.queue_id ?? "");
    return {};
  });

  mount(v3, "addItemsToReviewQueue", async (req, c) => {
    const queues = at(c).reviewQueues;
    const queueId = req.queue_id ?? "";
    const itemIds = validateItemIds(req.item_ids ?? []);
    // Items refer to traces without a foreign key: each must be a trace of the queue's experiment.
    const queue = await queues.row(queueId);
    const invalid = await queues.foreignTraces(queue.experimentId, itemIds);
    if (invalid.length > 0)
      throw notFound(
        `Cannot attach trace(s) ${pyList(invalid)} to review queue '${queueId}': ` +
          `they do not exist in experiment '${queue.experimentId}'.`,
      );
    const items = await queues.addItems(queueId, itemIds);
    return items.length > 0 ? { items } : {};
  });

  mount(v3, "removeItemsFromReviewQueue", async (req, c) => {
    await at(c).reviewQueues.removeItems(req.queue_id ?? "", req.item_ids ?? []);
    return {};
  });

  mount(v3, "listReviewQueueItems", async (req, c) => {
    maxResultsInRange(req.max_results);
    const offset = offsetOf(req.page_token);
    const result = await at(c).reviewQueues.listItems(req.queue_id ?? "", {
      status: req.status,
      maxResults: req.max_results ?? 1000,
      offset,
    });
    return page("items", result);
  });

  mount(v3, "setReviewQueueItemStatus", async (req, c) => {
    if (!req.status)
      throw invalidParameter("`status` must be one of PENDING, COMPLETE, or DECLINED; got proto enum value 0.");
    // With auth, attribution is the signed-in reviewer (cleared on reopen); without, the client's `completed_by`.
    const username = requestUsername(c);
    const completedBy = username !== undefined ? (req.status === "PENDING" ? undefined : username) : req.completed_by;
    return {
      item: await at(c).reviewQueues.setItemStatus(req.queue_id ?? "", req.item_id ?? "", req.status, completedBy),
    };
  });
}
