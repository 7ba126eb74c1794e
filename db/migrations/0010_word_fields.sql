/* Hand-written order: the foreign key on job_id needs an index on it, so the new one comes before the old one goes. Words written before this migration get 0 (not known): the next start indexes their jobs again (db/job-words.ts). */
ALTER TABLE `job_words` ADD `fields` tinyint unsigned DEFAULT 0 NOT NULL;--> statement-breakpoint
CREATE INDEX `job_words_job_fields_idx` ON `job_words` (`job_id`,`fields`);--> statement-breakpoint
DROP INDEX `job_words_job_idx` ON `job_words`;
