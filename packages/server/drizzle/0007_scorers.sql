CREATE TABLE `online_scoring_configs` (
	`online_scoring_config_id` text PRIMARY KEY NOT NULL,
	`scorer_id` text NOT NULL,
	`sample_rate` real NOT NULL,
	`experiment_id` integer NOT NULL,
	`filter_string` text
);
--> statement-breakpoint
CREATE INDEX `online_scoring_configs_scorer` ON `online_scoring_configs` (`scorer_id`);--> statement-breakpoint
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