CREATE TABLE `webhook_events` (
	`webhook_row` integer NOT NULL,
	`entity` text NOT NULL,
	`action` text NOT NULL,
	PRIMARY KEY(`webhook_row`, `entity`, `action`)
);
--> statement-breakpoint
CREATE INDEX `webhook_events_event` ON `webhook_events` (`entity`,`action`);--> statement-breakpoint
CREATE TABLE `webhooks` (
	`id` integer PRIMARY KEY NOT NULL,
	`webhook_id` text NOT NULL,
	`name` text NOT NULL,
	`description` text,
	`url` text NOT NULL,
	`status` text NOT NULL,
	`secret` text,
	`secret_encrypted` integer DEFAULT 0 NOT NULL,
	`creation_time` integer NOT NULL,
	`last_updated_time` integer NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `webhooks_webhook_id` ON `webhooks` (`webhook_id`);--> statement-breakpoint
CREATE INDEX `webhooks_creation_time` ON `webhooks` (`creation_time`);