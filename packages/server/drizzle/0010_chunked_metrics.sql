-- The `metrics` table these chunks replace is converted and dropped by the store after this migration
-- (src/store/metric-conversion.ts): SQL alone cannot pack points into blobs.
CREATE TABLE `metric_chunks` (
	`id` integer PRIMARY KEY NOT NULL,
	`run_id` integer NOT NULL,
	`key` text NOT NULL,
	`lo_step` integer NOT NULL,
	`lo_ts` integer NOT NULL,
	`hi_step` integer NOT NULL,
	`hi_ts` integer NOT NULL,
	`n` integer NOT NULL,
	`min_value` real,
	`max_value` real,
	`sealed` integer DEFAULT 0 NOT NULL,
	`ts_ordered` integer DEFAULT 1 NOT NULL,
	`points` blob NOT NULL,
	`json` blob
);
--> statement-breakpoint
CREATE INDEX `metric_chunks_series` ON `metric_chunks` (`run_id`,`key`,`lo_step`,`lo_ts`);