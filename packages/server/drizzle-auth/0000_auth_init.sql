-- Edited after drizzle-kit generate: IF NOT EXISTS everywhere, so that a basic_auth.db written by MLflow (same
-- tables) opens as it is and only gains tracklite_api_tokens.
CREATE TABLE IF NOT EXISTS `tracklite_api_tokens` (
	`id` integer PRIMARY KEY NOT NULL,
	`user_id` integer NOT NULL,
	`name` text NOT NULL,
	`token_hash` text NOT NULL,
	`prefix` text NOT NULL,
	`created_at` integer NOT NULL,
	`last_used_at` integer,
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX IF NOT EXISTS `tracklite_api_tokens_token_hash_unique` ON `tracklite_api_tokens` (`token_hash`);--> statement-breakpoint
CREATE INDEX IF NOT EXISTS `idx_tracklite_api_tokens_user_id` ON `tracklite_api_tokens` (`user_id`);--> statement-breakpoint
CREATE TABLE IF NOT EXISTS `role_permissions` (
	`id` integer PRIMARY KEY NOT NULL,
	`role_id` integer NOT NULL,
	`resource_type` text(64) NOT NULL,
	`resource_pattern` text(255) NOT NULL,
	`permission` text(255) NOT NULL,
	FOREIGN KEY (`role_id`) REFERENCES `roles`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX IF NOT EXISTS `unique_role_resource_perm` ON `role_permissions` (`role_id`,`resource_type`,`resource_pattern`);--> statement-breakpoint
CREATE INDEX IF NOT EXISTS `idx_role_permissions_role_id` ON `role_permissions` (`role_id`);--> statement-breakpoint
CREATE TABLE IF NOT EXISTS `roles` (
	`id` integer PRIMARY KEY NOT NULL,
	`name` text(255) NOT NULL,
	`workspace` text(63) NOT NULL,
	`description` text(1024)
);
--> statement-breakpoint
CREATE UNIQUE INDEX IF NOT EXISTS `unique_workspace_role_name` ON `roles` (`workspace`,`name`);--> statement-breakpoint
CREATE INDEX IF NOT EXISTS `idx_roles_workspace` ON `roles` (`workspace`);--> statement-breakpoint
CREATE TABLE IF NOT EXISTS `user_role_assignments` (
	`id` integer PRIMARY KEY NOT NULL,
	`user_id` integer NOT NULL,
	`role_id` integer NOT NULL,
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`role_id`) REFERENCES `roles`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX IF NOT EXISTS `unique_user_role` ON `user_role_assignments` (`user_id`,`role_id`);--> statement-breakpoint
CREATE INDEX IF NOT EXISTS `idx_user_role_assignments_user_id` ON `user_role_assignments` (`user_id`);--> statement-breakpoint
CREATE INDEX IF NOT EXISTS `idx_user_role_assignments_role_id` ON `user_role_assignments` (`role_id`);--> statement-breakpoint
CREATE TABLE IF NOT EXISTS `users` (
	`id` integer PRIMARY KEY NOT NULL,
	`username` text(255),
	`password_hash` text(255),
	`is_admin` integer DEFAULT false
);
--> statement-breakpoint
CREATE UNIQUE INDEX IF NOT EXISTS `users_username_unique` ON `users` (`username`);