ALTER TABLE `jobs` ADD `running_count` int DEFAULT 0 NOT NULL;--> statement-breakpoint
/* Hand-written: the runs in progress when this version is installed. */
UPDATE `jobs` SET `running_count` = (SELECT COUNT(*) FROM `job_executions` WHERE `job_executions`.`job_id` = `jobs`.`id` AND `job_executions`.`status` = 'running');
