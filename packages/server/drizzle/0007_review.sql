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
CREATE UNIQUE INDEX `review_queues_experiment_name_key` ON `review_queues` (`experiment_id`,`name_key`);