import * as z from "zod";
import { int64 } from "./wire.js";

/**
 * Registered scorers (LLM judges and built-in scorers saved per experiment, with versions) and their online scoring
 * configurations. The serialized scorer is the client's JSON text, stored as sent.
 * @see mlflow/protos/service.proto RegisterScorer, ListScorers, ListScorerVersions, GetScorer, DeleteScorer, Scorer
 * @see mlflow/server/handlers.py _get_online_scoring_configs, _upsert_online_scoring_config (plain JSON, no proto)
 */

/** One version of a registered scorer as the reference answers it (the proto's `experiment_id` is an int32). */
export const ScorerWire = z.object({
  experiment_id: z.number(),
  scorer_name: z.string(),
  scorer_version: z.number(),
  serialized_scorer: z.string(),
  creation_time: z.number(),
  scorer_id: z.string().optional(),
});
export type ScorerWire = z.infer<typeof ScorerWire>;

export const RegisterScorer = z.object({
  experiment_id: z.string().optional(),
  name: z.string().optional(),
  serialized_scorer: z.string().optional(),
});

/** RegisterScorer.Response: the new version, with the experiment id as a string this time. */
export const RegisterScorerResponse = z.object({
  version: z.number(),
  scorer_id: z.string(),
  experiment_id: z.string(),
  name: z.string(),
  serialized_scorer: z.string(),
  creation_time: z.number(),
});

export const ListScorers = z.object({
  experiment_id: z.string().optional(),
  experiment_ids: z.array(z.string()).optional(),
});

export const ScorersResponse = z.object({ scorers: z.array(ScorerWire).optional() });

export const ListScorerVersions = z.object({
  experiment_id: z.string().optional(),
  name: z.string().optional(),
});

/** GetScorer and DeleteScorer: a version (int32) picks one; without it, the latest (get) or all of them (delete). */
export const ScorerVersionRequest = z.object({
  experiment_id: z.string().optional(),
  name: z.string().optional(),
  version: int64.optional(),
});

export const GetScorerResponse = z.object({ scorer: ScorerWire });

/** Online scoring of a registered scorer: the fraction of new traces it judges, and which ones. */
export const OnlineScoringConfigWire = z.object({
  online_scoring_config_id: z.string(),
  scorer_id: z.string(),
  sample_rate: z.number(),
  experiment_id: z.string(),
  filter_string: z.string().optional(),
});
export type OnlineScoringConfigWire = z.infer<typeof OnlineScoringConfigWire>;

export const GetOnlineScoringConfigs = z.object({ scorer_ids: z.array(z.string()).optional() });
export const OnlineScoringConfigsResponse = z.object({ configs: z.array(OnlineScoringConfigWire) });

/**
 * The reference reads this body as plain JSON: `sample_rate` is anything `float()` takes and `filter_string` is
 * checked by hand, so both stay unknown here.
 */
export const UpsertOnlineScoringConfig = z.object({
  experiment_id: z.string().optional(),
  name: z.string().optional(),
  sample_rate: z.unknown().optional(),
  filter_string: z.unknown().optional(),
});
export const OnlineScoringConfigResponse = z.object({ config: OnlineScoringConfigWire });

/**
 * The UI's "run this judge on these traces" call (ajax only): read as plain JSON, checked by the handler itself.
 * @see mlflow/server/handlers.py _invoke_scorer_handler
 */
export const InvokeScorer = z.record(z.string(), z.unknown());
export const InvokeScorerResponse = z.object({
  jobs: z.array(z.object({ job_id: z.string(), trace_ids: z.array(z.string()) })),
});
