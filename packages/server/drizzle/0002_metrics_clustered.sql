ALTER TABLE `latest_metrics` ADD `ts_ordered` integer DEFAULT 1 NOT NULL;--> statement-breakpoint
-- Hand-written from here on: drizzle-kit cannot express WITHOUT ROWID. The metrics table is rebuilt with its primary
-- key as the table itself (one B-tree per insert instead of a rowid table plus its key index); every row is kept.
CREATE TABLE `__new_metrics` (
	`run_id` integer NOT NULL,
	`key` text NOT NULL,
	`step` integer NOT NULL,
	`timestamp` integer NOT NULL,
	`value` real NOT NULL,
	`is_nan` integer DEFAULT 0 NOT NULL,
	`dataset_name` text,
	`dataset_digest` text,
	`model_id` text,
	PRIMARY KEY(`run_id`, `key`, `step`, `timestamp`, `value`, `is_nan`)
) WITHOUT ROWID;
--> statement-breakpoint
INSERT INTO `__new_metrics` (`run_id`, `key`, `step`, `timestamp`, `value`, `is_nan`, `dataset_name`, `dataset_digest`, `model_id`)
SELECT `run_id`, `key`, `step`, `timestamp`, `value`, `is_nan`, `dataset_name`, `dataset_digest`, `model_id` FROM `metrics`;--> statement-breakpoint
DROP TABLE `metrics`;--> statement-breakpoint
ALTER TABLE `__new_metrics` RENAME TO `metrics`;--> statement-breakpoint
-- A key whose timestamps go back somewhere along its steps is not ts-ordered: its history is sorted when read.
UPDATE `latest_metrics` SET `ts_ordered` = 0 WHERE (`run_id`, `key`) IN (
	SELECT `run_id`, `key` FROM (
		SELECT `run_id`, `key`, `timestamp` < lag(`timestamp`) OVER (PARTITION BY `run_id`, `key` ORDER BY `step`, `timestamp`, `value`, `is_nan`) AS `back`
		FROM `metrics`
	) WHERE `back`
);
