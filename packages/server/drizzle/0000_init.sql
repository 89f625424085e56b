CREATE TABLE `datasets` (
	`id` integer PRIMARY KEY NOT NULL,
	`experiment_id` integer NOT NULL,
	`name` text NOT NULL,
	`digest` text NOT NULL,
	`source_type` text NOT NULL,
	`source` text NOT NULL,
	`schema` text,
	`profile` text
);
--> statement-breakpoint
CREATE UNIQUE INDEX `datasets_experiment_name_digest` ON `datasets` (`experiment_id`,`name`,`digest`);--> statement-breakpoint
CREATE TABLE `experiment_tags` (
	`experiment_id` integer NOT NULL,
	`key` text NOT NULL,
	`value` text NOT NULL,
	PRIMARY KEY(`experiment_id`, `key`)
);
--> statement-breakpoint
CREATE TABLE `experiments` (
	`experiment_id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`name` text NOT NULL,
	`artifact_location` text NOT NULL,
	`lifecycle_stage` text DEFAULT 'active' NOT NULL,
	`creation_time` integer NOT NULL,
	`last_update_time` integer NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `experiments_name_unique` ON `experiments` (`name`);--> statement-breakpoint
CREATE TABLE `latest_metrics` (
	`run_id` integer NOT NULL,
	`key` text NOT NULL,
	`step` integer NOT NULL,
	`timestamp` integer NOT NULL,
	`value` real NOT NULL,
	`is_nan` integer DEFAULT 0 NOT NULL,
	`dataset_name` text,
	`dataset_digest` text,
	`model_id` text,
	PRIMARY KEY(`run_id`, `key`)
);
--> statement-breakpoint
CREATE INDEX `latest_metrics_key_value` ON `latest_metrics` (`key`,`value`);--> statement-breakpoint
CREATE TABLE `metrics` (
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
);
--> statement-breakpoint
CREATE TABLE `params` (
	`run_id` integer NOT NULL,
	`key` text NOT NULL,
	`value` text NOT NULL,
	PRIMARY KEY(`run_id`, `key`)
);
--> statement-breakpoint
CREATE INDEX `params_key_value` ON `params` (`key`,`value`);--> statement-breakpoint
CREATE TABLE `run_dataset_input_tags` (
	`run_id` integer NOT NULL,
	`dataset_id` integer NOT NULL,
	`key` text NOT NULL,
	`value` text NOT NULL,
	PRIMARY KEY(`run_id`, `dataset_id`, `key`)
);
--> statement-breakpoint
CREATE TABLE `run_dataset_inputs` (
	`run_id` integer NOT NULL,
	`dataset_id` integer NOT NULL,
	`position` integer NOT NULL,
	PRIMARY KEY(`run_id`, `dataset_id`)
);
--> statement-breakpoint
CREATE TABLE `run_model_inputs` (
	`run_id` integer NOT NULL,
	`model_id` text NOT NULL,
	PRIMARY KEY(`run_id`, `model_id`)
);
--> statement-breakpoint
CREATE TABLE `run_model_outputs` (
	`run_id` integer NOT NULL,
	`model_id` text NOT NULL,
	`step` integer NOT NULL,
	PRIMARY KEY(`run_id`, `model_id`, `step`)
);
--> statement-breakpoint
CREATE TABLE `runs` (
	`id` integer PRIMARY KEY NOT NULL,
	`run_uuid` text NOT NULL,
	`experiment_id` integer NOT NULL,
	`name` text NOT NULL,
	`user_id` text NOT NULL,
	`status` text NOT NULL,
	`start_time` integer NOT NULL,
	`end_time` integer,
	`lifecycle_stage` text DEFAULT 'active' NOT NULL,
	`artifact_uri` text NOT NULL,
	`deleted_time` integer
);
--> statement-breakpoint
CREATE UNIQUE INDEX `runs_uuid` ON `runs` (`run_uuid`);--> statement-breakpoint
CREATE INDEX `runs_experiment_start` ON `runs` (`experiment_id`,`start_time`,`run_uuid`);--> statement-breakpoint
CREATE TABLE `tags` (
	`run_id` integer NOT NULL,
	`key` text NOT NULL,
	`value` text NOT NULL,
	PRIMARY KEY(`run_id`, `key`)
);
--> statement-breakpoint
CREATE INDEX `tags_key_value` ON `tags` (`key`,`value`);