CREATE TABLE `model_version_tags` (
	`version_id` integer NOT NULL,
	`key` text NOT NULL,
	`value` text NOT NULL,
	PRIMARY KEY(`version_id`, `key`)
);
--> statement-breakpoint
CREATE INDEX `model_version_tags_key_value` ON `model_version_tags` (`key`,`value`);--> statement-breakpoint
CREATE TABLE `model_versions` (
	`id` integer PRIMARY KEY NOT NULL,
	`model_id` integer NOT NULL,
	`version` integer NOT NULL,
	`creation_time` integer NOT NULL,
	`last_updated_time` integer NOT NULL,
	`description` text,
	`user_id` text,
	`current_stage` text NOT NULL,
	`source` text,
	`storage_location` text,
	`run_id` text,
	`run_link` text,
	`status` text NOT NULL,
	`status_message` text
);
--> statement-breakpoint
CREATE UNIQUE INDEX `model_versions_model_version` ON `model_versions` (`model_id`,`version`);--> statement-breakpoint
CREATE INDEX `model_versions_run_id` ON `model_versions` (`run_id`);--> statement-breakpoint
CREATE TABLE `registered_model_aliases` (
	`model_id` integer NOT NULL,
	`alias` text NOT NULL,
	`version` integer NOT NULL,
	PRIMARY KEY(`model_id`, `alias`)
);
--> statement-breakpoint
CREATE TABLE `registered_model_tags` (
	`model_id` integer NOT NULL,
	`key` text NOT NULL,
	`value` text NOT NULL,
	PRIMARY KEY(`model_id`, `key`)
);
--> statement-breakpoint
CREATE INDEX `registered_model_tags_key_value` ON `registered_model_tags` (`key`,`value`);--> statement-breakpoint
CREATE TABLE `registered_models` (
	`id` integer PRIMARY KEY NOT NULL,
	`name` text NOT NULL,
	`creation_time` integer NOT NULL,
	`last_updated_time` integer NOT NULL,
	`description` text
);
--> statement-breakpoint
CREATE UNIQUE INDEX `registered_models_name` ON `registered_models` (`name`);