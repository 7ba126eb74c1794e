CREATE INDEX `jobs_last_status_idx` ON `jobs` (`last_status`);--> statement-breakpoint
/* Hand-written (drizzle cannot declare FULLTEXT for MySQL): word-prefix search of the jobs list over names and ids. */
CREATE FULLTEXT INDEX `jobs_search_ft` ON `jobs` (`name`,`id`);
