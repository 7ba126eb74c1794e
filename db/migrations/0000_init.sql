CREATE TABLE `job_executions` (
	`id` bigint unsigned AUTO_INCREMENT NOT NULL,
	`job_id` varchar(191) NOT NULL,
	`scheduled_for` datetime(3) NOT NULL,
	`attempt` int NOT NULL DEFAULT 1,
	`kind` enum('scheduled','manual') NOT NULL DEFAULT 'scheduled',
	`status` enum('queued','running','succeeded','failed','timed_out','missed','skipped','interrupted') NOT NULL,
	`started_at` datetime(3),
	`finished_at` datetime(3),
	`duration_ms` int,
	`error` text,
	`stack` text,
	`log` mediumtext,
	`result` text,
	`missed_count` int,
	`missed_until` datetime(3),
	`instance` varchar(100),
	CONSTRAINT `job_executions_id` PRIMARY KEY(`id`),
	CONSTRAINT `job_executions_fire_uq` UNIQUE(`job_id`,`scheduled_for`,`attempt`)
);
--> statement-breakpoint
CREATE TABLE `jobs` (
	`id` varchar(191) NOT NULL,
	`name` varchar(200) NOT NULL,
	`description` text,
	`task` varchar(100) NOT NULL,
	`args` json NOT NULL,
	`trigger` json NOT NULL,
	`state` enum('active','paused','completed') NOT NULL DEFAULT 'active',
	`next_run_at` datetime(3),
	`options` json NOT NULL,
	`source` enum('code','user') NOT NULL DEFAULT 'user',
	`version` int NOT NULL DEFAULT 1,
	`last_run_at` datetime(3),
	`last_status` enum('queued','running','succeeded','failed','timed_out','missed','skipped','interrupted'),
	`last_execution_id` bigint unsigned,
	`created_at` datetime(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
	`updated_at` datetime(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
	CONSTRAINT `jobs_id` PRIMARY KEY(`id`)
);
--> statement-breakpoint
CREATE TABLE `scheduler_instances` (
	`id` varchar(100) NOT NULL,
	`host` varchar(255) NOT NULL,
	`pid` int NOT NULL,
	`started_at` datetime(3) NOT NULL,
	`last_seen_at` datetime(3) NOT NULL,
	CONSTRAINT `scheduler_instances_id` PRIMARY KEY(`id`)
);
--> statement-breakpoint
CREATE TABLE `settings` (
	`key` varchar(64) NOT NULL,
	`value` text NOT NULL,
	`updated_at` datetime(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
	CONSTRAINT `settings_key` PRIMARY KEY(`key`)
);
--> statement-breakpoint
ALTER TABLE `job_executions` ADD CONSTRAINT `job_executions_job_id_jobs_id_fk` FOREIGN KEY (`job_id`) REFERENCES `jobs`(`id`) ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX `job_executions_job_id_idx` ON `job_executions` (`job_id`,`id`);--> statement-breakpoint
CREATE INDEX `job_executions_status_sched_idx` ON `job_executions` (`status`,`scheduled_for`);--> statement-breakpoint
CREATE INDEX `job_executions_sched_idx` ON `job_executions` (`scheduled_for`);--> statement-breakpoint
CREATE INDEX `jobs_state_next_run_idx` ON `jobs` (`state`,`next_run_at`);--> statement-breakpoint
CREATE INDEX `jobs_next_run_idx` ON `jobs` (`next_run_at`);--> statement-breakpoint
CREATE INDEX `jobs_name_idx` ON `jobs` (`name`);--> statement-breakpoint
CREATE INDEX `jobs_task_idx` ON `jobs` (`task`);--> statement-breakpoint
CREATE INDEX `jobs_updated_idx` ON `jobs` (`updated_at`);--> statement-breakpoint
CREATE INDEX `jobs_last_run_idx` ON `jobs` (`last_run_at`);--> statement-breakpoint
CREATE INDEX `scheduler_instances_seen_idx` ON `scheduler_instances` (`last_seen_at`);