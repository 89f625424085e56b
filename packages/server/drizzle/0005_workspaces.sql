CREATE TABLE `workspaces` (
	`name` text PRIMARY KEY NOT NULL,
	`description` text,
	`default_artifact_root` text
);
--> statement-breakpoint
DROP INDEX `experiments_name_unique`;--> statement-breakpoint
ALTER TABLE `experiments` ADD `workspace` text DEFAULT 'default' NOT NULL;--> statement-breakpoint
CREATE UNIQUE INDEX `experiments_workspace_name` ON `experiments` (`workspace`,`name`);--> statement-breakpoint
DROP INDEX `registered_models_name`;--> statement-breakpoint
ALTER TABLE `registered_models` ADD `workspace` text DEFAULT 'default' NOT NULL;--> statement-breakpoint
CREATE UNIQUE INDEX `registered_models_workspace_name` ON `registered_models` (`workspace`,`name`);--> statement-breakpoint
ALTER TABLE `webhooks` ADD `workspace` text DEFAULT 'default' NOT NULL;--> statement-breakpoint
CREATE INDEX `webhooks_workspace` ON `webhooks` (`workspace`);--> statement-breakpoint
-- Hand-written: the default workspace exists from the start, with the reference's description.
INSERT INTO `workspaces` (`name`, `description`) VALUES ('default', 'Default workspace for legacy resources');
