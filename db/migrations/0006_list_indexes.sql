/* Hand-written: a job has a next fire exactly while it is active (the code has always kept it so; rows that say otherwise are made to). An active job without a next fire would never run: it is paused, for someone to look at and resume. */
UPDATE `jobs` SET `next_run_at` = NULL WHERE `state` <> 'active' AND `next_run_at` IS NOT NULL;--> statement-breakpoint
UPDATE `jobs` SET `state` = 'paused' WHERE `state` = 'active' AND `next_run_at` IS NULL;--> statement-breakpoint
/* One ALTER (one rebuild) instead of a statement per index as generated. jobs_last_run_idx is descending (drizzle cannot declare that): MariaDB checks an index condition on entries only when it walks an index forwards, and the list by last run is read newest first. */
ALTER TABLE `jobs`
  DROP INDEX `jobs_state_next_run_idx`,
  DROP INDEX `jobs_next_run_idx`,
  DROP INDEX `jobs_last_run_idx`,
  ADD INDEX `jobs_next_run_idx` (`next_run_at`,`id`,`state`,`name`),
  ADD INDEX `jobs_state_idx` (`state`),
  ADD INDEX `jobs_last_run_idx` (`last_run_at` DESC,`id` DESC,`name`),
  ADD INDEX `jobs_created_idx` (`created_at`),
  ADD CONSTRAINT `jobs_next_run_active_chk` CHECK ((`state` = 'active') = (`next_run_at` IS NOT NULL));
