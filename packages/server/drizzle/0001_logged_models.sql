CREATE TABLE `logged_model_metrics` (
	`model_id` integer NOT NULL,
	`key` text NOT NULL,
	`timestamp` integer NOT NULL,
	`step` integer NOT NULL,
	`run_id` integer NOT NULL,
	`value` real NOT NULL,
	`is_nan` integer DEFAULT 0 NOT NULL,
	`dataset_name` text,
	`dataset_digest` text,
	PRIMARY KEY(`model_id`, `key`, `timestamp`, `step`, `run_id`)
);
--> statement-breakpoint
CREATE INDEX `logged_model_metrics_key_value` ON `logged_model_metrics` (`key`,`value`);--> statement-breakpoint
CREATE TABLE `logged_model_params` (
	`model_id` integer NOT NULL,
	`key` text NOT NULL,
	`value` text NOT NULL,
	PRIMARY KEY(`model_id`, `key`)
);
--> statement-breakpoint
CREATE TABLE `logged_model_tags` (
	`model_id` integer NOT NULL,
	`key` text NOT NULL,
	`value` text NOT NULL,
	PRIMARY KEY(`model_id`, `key`)
);
--> statement-breakpoint
CREATE TABLE `logged_models` (
	`id` integer PRIMARY KEY NOT NULL,
	`model_id` text NOT NULL,
	`experiment_id` integer NOT NULL,
	`name` text NOT NULL,
	`artifact_location` text NOT NULL,
	`creation_timestamp_ms` integer NOT NULL,
	`last_updated_timestamp_ms` integer NOT NULL,
	`status` integer NOT NULL,
	`lifecycle_stage` text DEFAULT 'active' NOT NULL,
	`model_type` text,
	`source_run_id` text,
	`status_message` text
);
--> statement-breakpoint
CREATE UNIQUE INDEX `logged_models_model_id` ON `logged_models` (`model_id`);--> statement-breakpoint
CREATE INDEX `logged_models_experiment_creation` ON `logged_models` (`experiment_id`,`creation_timestamp_ms`);