CREATE TABLE `job_words` (
	`word` varchar(84) NOT NULL,
	`job_id` varchar(191) NOT NULL,
	`pos` smallint unsigned NOT NULL,
	CONSTRAINT `job_words_word_job_id_pos_pk` PRIMARY KEY(`word`,`job_id`,`pos`)
);
--> statement-breakpoint
CREATE TABLE `job_words_version` (
	`id` smallint unsigned NOT NULL,
	`version` bigint unsigned NOT NULL,
	CONSTRAINT `job_words_version_id` PRIMARY KEY(`id`)
);
--> statement-breakpoint
ALTER TABLE `job_words` ADD CONSTRAINT `job_words_job_id_jobs_id_fk` FOREIGN KEY (`job_id`) REFERENCES `jobs`(`id`) ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX `job_words_job_idx` ON `job_words` (`job_id`);--> statement-breakpoint
INSERT INTO `job_words_version` (`id`, `version`) VALUES (1, 0);
--> statement-breakpoint
/* Hand-written: the search now looks words up in job_words (filled after the migrations by db/job-words.ts), so the FULLTEXT index of 0004 goes. */
DROP INDEX `jobs_search_ft` ON `jobs`;
