import * as z from "zod";
import { int32, lenientEnum, pagedOf } from "./review-common.js";

/**
 * Review queues: named bundles of traces to review, the questions (label schemas) asked about them and the users
 * assigned to answer, scoped to an experiment. A USER queue is one reviewer's personal worklist; a CUSTOM queue is
 * a labeling session.
 * @see mlflow/protos/review_queues.proto, mlflow/genai/review_queues/review_queues.py
 */

export const REVIEW_QUEUE_TYPES = ["USER", "CUSTOM"] as const;
export type ReviewQueueType = (typeof REVIEW_QUEUE_TYPES)[number];
export const REVIEW_STATUSES = ["PENDING", "COMPLETE", "DECLINED"] as const;
export type ReviewStatus = (typeof REVIEW_STATUSES)[number];
export const REVIEW_ITEM_TYPES = ["TRACE"] as const;

export const ReviewQueue = z.object({
  queue_id: z.string(),
  experiment_id: z.string(),
  name: z.string(),
  queue_type: z.enum(REVIEW_QUEUE_TYPES),
  created_by: z.string().optional(),
  creation_time_ms: z.number(),
  last_update_time_ms: z.number(),
  users: z.array(z.string()).optional(),
  schema_ids: z.array(z.string()).optional(),
});
export type ReviewQueue = z.infer<typeof ReviewQueue>;

export const ReviewQueueItem = z.object({
  queue_id: z.string(),
  item_type: z.enum(REVIEW_ITEM_TYPES),
  item_id: z.string(),
  status: z.enum(REVIEW_STATUSES),
  completed_by: z.string().optional(),
  completed_time_ms: z.number().optional(),
  creation_time_ms: z.number(),
  last_update_time_ms: z.number(),
});
export type ReviewQueueItem = z.infer<typeof ReviewQueueItem>;

const strings = z.array(z.string());

export const CreateReviewQueue = z.object({
  experiment_id: z.string().optional(),
  name: z.string().optional(),
  queue_type: lenientEnum(REVIEW_QUEUE_TYPES).optional(),
  /** Ignored: the owner is the signed-in user, never a client's claim. */
  created_by: z.string().optional(),
  users: strings.optional(),
  schema_ids: strings.optional(),
});

export const GetOrCreateUserQueue = z.object({
  experiment_id: z.string().optional(),
  user: z.string().optional(),
  created_by: z.string().optional(),
});

export const QueueIdRequest = z.object({ queue_id: z.string().optional() });

export const GetReviewQueueByName = z.object({ experiment_id: z.string().optional(), name: z.string().optional() });

export const ListReviewQueues = z.object({
  experiment_id: z.string().optional(),
  user: z.string().optional(),
  max_results: int32.optional(),
  page_token: z.string().optional(),
  item_id: z.string().optional(),
});

export const UpdateReviewQueue = z.object({
  queue_id: z.string().optional(),
  update_users: z.boolean().optional(),
  users: strings.optional(),
  update_schema_ids: z.boolean().optional(),
  schema_ids: strings.optional(),
  name: z.string().optional(),
  new_owner: z.string().optional(),
});

export const AddItemsToReviewQueue = z.object({
  queue_id: z.string().optional(),
  item_type: lenientEnum(REVIEW_ITEM_TYPES).optional(),
  item_ids: strings.optional(),
});

export const RemoveItemsFromReviewQueue = z.object({ queue_id: z.string().optional(), item_ids: strings.optional() });

export const ListReviewQueueItems = z.object({
  queue_id: z.string().optional(),
  status: lenientEnum(REVIEW_STATUSES).optional(),
  max_results: int32.optional(),
  page_token: z.string().optional(),
});

export const SetReviewQueueItemStatus = z.object({
  queue_id: z.string().optional(),
  item_id: z.string().optional(),
  status: lenientEnum(REVIEW_STATUSES).optional(),
  completed_by: z.string().optional(),
});

export const ReviewQueueResponse = z.object({ review_queue: ReviewQueue });
export const ListReviewQueuesResponse = pagedOf("review_queues", ReviewQueue);
export const ReviewQueueItemsResponse = z.object({ items: z.array(ReviewQueueItem).optional() });
export const ListReviewQueueItemsResponse = pagedOf("items", ReviewQueueItem);
export const ReviewQueueItemResponse = z.object({ item: ReviewQueueItem });
