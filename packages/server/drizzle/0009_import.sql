CREATE TABLE `import_checkpoints` (
	`unit` text PRIMARY KEY NOT NULL,
	`done_time` integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE `import_id_map` (
	`kind` text NOT NULL,
	`source_id` text NOT NULL,
	`target_id` text NOT NULL,
	PRIMARY KEY(`kind`, `source_id`)
);
