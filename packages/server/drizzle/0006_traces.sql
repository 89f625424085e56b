CREATE TABLE `assessments` (
	`assessment_id` text PRIMARY KEY NOT NULL,
	`trace_row` integer NOT NULL,
	`name` text NOT NULL,
	`assessment_type` text NOT NULL,
	`value` text NOT NULL,
	`error` text,
	`created_timestamp` integer NOT NULL,
	`last_updated_timestamp` integer NOT NULL,
	`source_type` text NOT NULL,
	`source_id` text,
	`run_id` text,
	`span_id` text,
	`rationale` text,
	`overrides` text,
	`valid` integer DEFAULT 1 NOT NULL,
	`assessment_metadata` text
);
--> statement-breakpoint
CREATE INDEX `assessments_trace_created` ON `assessments` (`trace_row`,`created_timestamp`);--> statement-breakpoint
CREATE INDEX `assessments_name` ON `assessments` (`name`);--> statement-breakpoint
CREATE TABLE `entity_associations` (
	`association_id` text PRIMARY KEY NOT NULL,
	`source_type` text NOT NULL,
	`source_id` text NOT NULL,
	`destination_type` text NOT NULL,
	`destination_id` text NOT NULL,
	`created_time` integer NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `entity_associations_link` ON `entity_associations` (`source_type`,`source_id`,`destination_type`,`destination_id`);--> statement-breakpoint
CREATE INDEX `entity_associations_destination` ON `entity_associations` (`destination_type`,`destination_id`);--> statement-breakpoint
CREATE TABLE `spans` (
	`trace_row` integer NOT NULL,
	`span_id` text NOT NULL,
	`parent_span_id` text,
	`name` text,
	`type` text,
	`status` text NOT NULL,
	`start_time_unix_nano` integer NOT NULL,
	`end_time_unix_nano` integer,
	`duration_ns` integer,
	`content` text NOT NULL,
	PRIMARY KEY(`trace_row`, `span_id`)
);
--> statement-breakpoint
CREATE INDEX `spans_trace_start` ON `spans` (`trace_row`,`start_time_unix_nano`);--> statement-breakpoint
CREATE TABLE `trace_info` (
	`id` integer PRIMARY KEY NOT NULL,
	`request_id` text NOT NULL,
	`experiment_id` integer NOT NULL,
	`timestamp_ms` integer NOT NULL,
	`execution_time_ms` integer,
	`status` text NOT NULL,
	`client_request_id` text,
	`request_preview` text,
	`response_preview` text,
	`trace_name` text,
	`session_id` text,
	`input_tokens` integer,
	`output_tokens` integer,
	`total_tokens` integer
);
--> statement-breakpoint
CREATE UNIQUE INDEX `trace_info_request_id` ON `trace_info` (`request_id`);--> statement-breakpoint
CREATE INDEX `trace_info_experiment_timestamp` ON `trace_info` (`experiment_id`,`timestamp_ms`,`id`);--> statement-breakpoint
CREATE INDEX `trace_info_experiment_session` ON `trace_info` (`experiment_id`,`session_id`);--> statement-breakpoint
CREATE TABLE `trace_request_metadata` (
	`trace_row` integer NOT NULL,
	`key` text NOT NULL,
	`value` text,
	PRIMARY KEY(`trace_row`, `key`)
);
--> statement-breakpoint
CREATE INDEX `trace_request_metadata_key_value` ON `trace_request_metadata` (`key`,`value`);--> statement-breakpoint
CREATE TABLE `trace_tags` (
	`trace_row` integer NOT NULL,
	`key` text NOT NULL,
	`value` text,
	PRIMARY KEY(`trace_row`, `key`)
);
--> statement-breakpoint
CREATE INDEX `trace_tags_key_value` ON `trace_tags` (`key`,`value`);