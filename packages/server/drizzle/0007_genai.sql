CREATE TABLE `evaluation_dataset_records` (
	`dataset_record_id` text PRIMARY KEY NOT NULL,
	`dataset_id` text NOT NULL,
	`inputs` text NOT NULL,
	`outputs` text,
	`expectations` text,
	`tags` text,
	`source` text,
	`source_id` text,
	`source_type` text,
	`created_time` integer NOT NULL,
	`last_update_time` integer NOT NULL,
	`created_by` text,
	`last_updated_by` text,
	`input_hash` text NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `evaluation_dataset_records_input` ON `evaluation_dataset_records` (`dataset_id`,`input_hash`);--> statement-breakpoint
CREATE INDEX `evaluation_dataset_records_page` ON `evaluation_dataset_records` (`dataset_id`,`created_time`,`dataset_record_id`);--> statement-breakpoint
CREATE TABLE `evaluation_dataset_tags` (
	`dataset_id` text NOT NULL,
	`key` text NOT NULL,
	`value` text,
	PRIMARY KEY(`dataset_id`, `key`)
);
--> statement-breakpoint
CREATE TABLE `evaluation_datasets` (
	`dataset_id` text PRIMARY KEY NOT NULL,
	`workspace` text DEFAULT 'default' NOT NULL,
	`name` text NOT NULL,
	`schema` text,
	`profile` text,
	`digest` text,
	`created_time` integer NOT NULL,
	`last_update_time` integer NOT NULL,
	`created_by` text,
	`last_updated_by` text
);
--> statement-breakpoint
CREATE INDEX `evaluation_datasets_name` ON `evaluation_datasets` (`name`);--> statement-breakpoint
CREATE INDEX `evaluation_datasets_created_time` ON `evaluation_datasets` (`created_time`);--> statement-breakpoint
CREATE INDEX `evaluation_datasets_workspace` ON `evaluation_datasets` (`workspace`);--> statement-breakpoint
CREATE TABLE `issues` (
	`issue_id` text PRIMARY KEY NOT NULL,
	`experiment_id` integer NOT NULL,
	`name` text NOT NULL,
	`description` text NOT NULL,
	`status` text NOT NULL,
	`severity` text,
	`root_causes` text,
	`source_run_id` text,
	`categories` text,
	`created_timestamp` integer NOT NULL,
	`last_updated_timestamp` integer NOT NULL,
	`created_by` text
);
--> statement-breakpoint
CREATE INDEX `issues_experiment` ON `issues` (`experiment_id`,`created_timestamp`);--> statement-breakpoint
CREATE TABLE `label_schemas` (
	`schema_id` text PRIMARY KEY NOT NULL,
	`experiment_id` integer NOT NULL,
	`name` text NOT NULL,
	`type` text NOT NULL,
	`instruction` text,
	`enable_comment` integer DEFAULT 0 NOT NULL,
	`input_type` text NOT NULL,
	`input_config` text NOT NULL,
	`created_by` text,
	`created_time` integer NOT NULL,
	`last_update_time` integer NOT NULL,
	`is_default` integer DEFAULT 0 NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `label_schemas_experiment_name` ON `label_schemas` (`experiment_id`,`name`);--> statement-breakpoint
CREATE TABLE `online_scoring_configs` (
	`online_scoring_config_id` text PRIMARY KEY NOT NULL,
	`scorer_id` text NOT NULL,
	`sample_rate` real NOT NULL,
	`experiment_id` integer NOT NULL,
	`filter_string` text
);
--> statement-breakpoint
CREATE INDEX `online_scoring_configs_scorer` ON `online_scoring_configs` (`scorer_id`);--> statement-breakpoint
CREATE TABLE `review_queue_items` (
	`queue_id` text NOT NULL,
	`item_type` text NOT NULL,
	`item_id` text NOT NULL,
	`status` text NOT NULL,
	`completed_by` text,
	`completed_time_ms` integer,
	`creation_time_ms` integer NOT NULL,
	`last_update_time_ms` integer NOT NULL,
	PRIMARY KEY(`queue_id`, `item_id`)
);
--> statement-breakpoint
CREATE INDEX `review_queue_items_item` ON `review_queue_items` (`item_id`);--> statement-breakpoint
CREATE TABLE `review_queue_label_schemas` (
	`queue_id` text NOT NULL,
	`schema_id` text NOT NULL,
	PRIMARY KEY(`queue_id`, `schema_id`)
);
--> statement-breakpoint
CREATE TABLE `review_queue_users` (
	`queue_id` text NOT NULL,
	`user_id` text NOT NULL,
	PRIMARY KEY(`queue_id`, `user_id`)
);
--> statement-breakpoint
CREATE INDEX `review_queue_users_user` ON `review_queue_users` (`user_id`);--> statement-breakpoint
CREATE TABLE `review_queues` (
	`queue_id` text PRIMARY KEY NOT NULL,
	`experiment_id` integer NOT NULL,
	`name` text NOT NULL,
	`name_key` text NOT NULL,
	`queue_type` text NOT NULL,
	`created_by` text,
	`creation_time_ms` integer NOT NULL,
	`last_update_time_ms` integer NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `review_queues_experiment_name_key` ON `review_queues` (`experiment_id`,`name_key`);--> statement-breakpoint
CREATE TABLE `scorer_versions` (
	`scorer_id` text NOT NULL,
	`scorer_version` integer NOT NULL,
	`serialized_scorer` text NOT NULL,
	`creation_time` integer NOT NULL,
	PRIMARY KEY(`scorer_id`, `scorer_version`)
);
--> statement-breakpoint
CREATE TABLE `scorers` (
	`scorer_id` text PRIMARY KEY NOT NULL,
	`experiment_id` integer NOT NULL,
	`scorer_name` text NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `scorers_experiment_name` ON `scorers` (`experiment_id`,`scorer_name`);