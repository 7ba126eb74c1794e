import { sql } from 'drizzle-orm';
import {
  bigint,
  char,
  check,
  datetime,
  index,
  int,
  json,
  mediumtext,
  mysqlEnum,
  mysqlTable,
  primaryKey,
  smallint,
  text,
  tinyint,
  uniqueIndex,
  varchar,
} from 'drizzle-orm/mysql-core';
import { EXECUTION_STATUSES, JOB_STATES } from '../lib/schemas';
import type { StoredJobOptions, StoredTrigger } from '../lib/types';

/** Every DATETIME is UTC with millisecond precision (the pool uses timezone 'Z'). */
const instant = (name: string) => datetime(name, { mode: 'date', fsp: 3 });
const now3 = sql`CURRENT_TIMESTAMP(3)`;

export const jobs = mysqlTable(
  'jobs',
  {
    id: varchar('id', { length: 191 }).primaryKey(),
    name: varchar('name', { length: 200 }).notNull(),
    description: text('description'),
    task: varchar('task', { length: 100 }).notNull(),
    args: json('args').$type<Record<string, unknown>>().notNull(),
    trigger: json('trigger').$type<StoredTrigger>().notNull(),
    state: mysqlEnum('state', JOB_STATES).notNull().default('active'),
    nextRunAt: instant('next_run_at'),
    options: json('options').$type<StoredJobOptions>().notNull(),
    source: mysqlEnum('source', ['code', 'user']).notNull().default('user'),
    version: int('version').notNull().default(1),
    /** For a job declared in code: the hash of the declaration last applied (null: no longer declared). */
    declaredHash: varchar('declared_hash', { length: 64 }),
    lastRunAt: instant('last_run_at'),
    lastStatus: mysqlEnum('last_status', EXECUTION_STATUSES),
    /**
     * A job's runs in progress, as claims read them from the row they lock (scheduler/slots.ts):
     * the run a batch claim started last, by its fire instant (its row is the fire key (id,
     * lease_at, attempt 1)), which holds a slot while that row is `running` and whose outcome
     * writes nothing to the job; plus `running_count`, the other runs in progress (run-now
     * requests, retries, jittered fires, and a claim's run while the lease is held), counted in the
     * transactions that start them and finish them.
     */
    leaseAt: instant('lease_at'),
    runningCount: int('running_count').notNull().default(0),
    createdAt: instant('created_at').notNull().default(now3),
    updatedAt: instant('updated_at').notNull().default(now3),
  },
  (t) => [
    // A job has a next fire exactly while it is active. So one index on next_run_at serves both
    // the claims (state = 'active' AND next_run_at <= horizon: every entry with a value is an active
    // job) and the list's sort by next run; every claim moves each index on next_run_at, and a
    // second one, (state, next_run_at), cost about 5 µs of MariaDB's CPU per fire. Its id and name
    // let the list's search check a row on the index entry without reading it (list-jobs.ts); the
    // same for the sort by last run, whose index migration 0006 makes descending (last_run_at DESC,
    // id DESC, name: drizzle cannot declare it), since MariaDB checks conditions on index entries
    // only when walking forwards, and that list is read newest first. jobs_state_idx serves the
    // state filter; a job's state rarely changes, so it costs the claims nothing.
    check('jobs_next_run_active_chk', sql`(${t.state} = 'active') = (${t.nextRunAt} IS NOT NULL)`),
    index('jobs_next_run_idx').on(t.nextRunAt, t.id, t.state, t.name),
    index('jobs_state_idx').on(t.state),
    index('jobs_name_idx').on(t.name),
    index('jobs_task_idx').on(t.task),
    index('jobs_updated_idx').on(t.updatedAt),
    index('jobs_created_idx').on(t.createdAt),
    index('jobs_last_run_idx').on(t.lastRunAt, t.id, t.name),
    // The jobs list's lastStatus filter. Not (last_status, next_run_at): every claim moves
    // next_run_at, so that index would be rewritten on every fire; this one only on a new status.
    index('jobs_last_status_idx').on(t.lastStatus),
  ],
);

/**
 * The words of each job's name and id, for the jobs list's search (scheduler/job-words.ts): a
 * search word is looked up as a prefix range of the primary key, about 1 ms for a word in 5 % of
 * 100,000 jobs (the FULLTEXT index it replaces, dropped by migration 0009, took 5–8 ms). Written
 * with the job by Cronboard's own writes (db/job-words.ts); removed with it by the foreign key.
 */
export const jobWords = mysqlTable(
  'job_words',
  {
    /** A word of the name or id (letters, digits, `_`; at most 84 characters), as written. */
    word: varchar('word', { length: 84 }).notNull(),
    jobId: varchar('job_id', { length: 191 })
      .notNull()
      .references(() => jobs.id, { onDelete: 'cascade' }),
    /** Its place among the job's words: two words the collation finds equal ("Straße", "strasse") are both kept. */
    pos: smallint('pos', { unsigned: true }).notNull(),
    /**
     * Where the word is: 1 the name, 2 the id, 3 both (WORD_IN_NAME, WORD_IN_ID of
     * db/job-words.ts); 0 for a word written before migration 0010, not known (the next start
     * indexes its job again). A search of several words needs them all in the same one.
     */
    fields: tinyint('fields', { unsigned: true }).notNull().default(0),
  },
  (t) => [primaryKey({ columns: [t.word, t.jobId, t.pos] }), index('job_words_job_fields_idx').on(t.jobId, t.fields)],
);

/**
 * One row: a number raised by every write of search words (db/job-words.ts), so that a process
 * may keep words' job lists between searches and know, with one read, when to drop them.
 */
export const jobWordsVersion = mysqlTable('job_words_version', {
  id: smallint('id', { unsigned: true }).primaryKey(),
  version: bigint('version', { mode: 'number', unsigned: true }).notNull(),
});

export const jobExecutions = mysqlTable(
  'job_executions',
  {
    id: bigint('id', { mode: 'number', unsigned: true }).autoincrement().primaryKey(),
    jobId: varchar('job_id', { length: 191 })
      .notNull()
      .references(() => jobs.id, { onDelete: 'cascade' }),
    /** The instant the trigger gave (for a run-now, the instant it was asked for). */
    scheduledFor: instant('scheduled_for').notNull(),
    attempt: int('attempt').notNull().default(1),
    kind: mysqlEnum('kind', ['scheduled', 'manual']).notNull().default('scheduled'),
    status: mysqlEnum('status', EXECUTION_STATUSES).notNull(),
    startedAt: instant('started_at'),
    finishedAt: instant('finished_at'),
    durationMs: int('duration_ms'),
    error: text('error'),
    stack: text('stack'),
    log: mediumtext('log'),
    result: text('result'),
    /** For a `missed` row: how many fires it stands for, and the last of them. */
    missedCount: int('missed_count'),
    missedUntil: instant('missed_until'),
    instance: varchar('instance', { length: 100 }),
    /** A queued row (run-now or retry) is not started before this instant. */
    runAfter: instant('run_after'),
  },
  (t) => [
    // The fire key: an INSERT that collides here lost the race for this fire. Also a job's
    // history, newest first (by scheduled instant, then attempt), and the foreign key's index. A
    // second index on (job_id, id) for the history by insertion order (migration 0011 drops it)
    // cost every fire's INSERT one more entry and made retention's deletions half as fast: each
    // old row's entry sits on another page of it, as on this one.
    uniqueIndex('job_executions_fire_uq').on(t.jobId, t.scheduledFor, t.attempt),
    // Also retention's walk (prune-history.ts): old rows status by status, which skips the
    // running and queued ones without reading them. A separate index on scheduled_for alone
    // (migration 0008 drops it) cost every fire's INSERT and every deletion one more entry.
    index('job_executions_status_sched_idx').on(t.status, t.scheduledFor),
  ],
);

export const schedulerInstances = mysqlTable(
  'scheduler_instances',
  {
    id: varchar('id', { length: 100 }).primaryKey(),
    host: varchar('host', { length: 255 }).notNull(),
    pid: int('pid').notNull(),
    startedAt: instant('started_at').notNull(),
    lastSeenAt: instant('last_seen_at').notNull(),
  },
  (t) => [index('scheduler_instances_seen_idx').on(t.lastSeenAt)],
);

/** Small key/value store: the admin password hash and the session signing secret. */
export const settings = mysqlTable('settings', {
  key: varchar('key', { length: 64 }).primaryKey(),
  value: text('value').notNull(),
  updatedAt: instant('updated_at').notNull().default(now3),
});

/**
 * API tokens made in the dashboard. Only the SHA-256 of a token is stored (tokens are 256-bit
 * random, so a plain hash is enough); `prefix` is its first characters, shown to recognise it.
 */
export const apiTokens = mysqlTable(
  'api_tokens',
  {
    id: bigint('id', { mode: 'number', unsigned: true }).autoincrement().primaryKey(),
    name: varchar('name', { length: 100 }).notNull(),
    tokenHash: char('token_hash', { length: 64 }).notNull(),
    prefix: varchar('prefix', { length: 16 }).notNull(),
    createdAt: instant('created_at').notNull().default(now3),
    lastUsedAt: instant('last_used_at'),
    revokedAt: instant('revoked_at'),
  },
  (t) => [uniqueIndex('api_tokens_hash_uq').on(t.tokenHash), index('api_tokens_created_idx').on(t.createdAt)],
);

export type JobRow = typeof jobs.$inferSelect;

/**
 * For reads of active jobs by next fire (`.from(jobs, byNextRun)`): only active jobs have one, so
 * jobs_next_run_idx holds them all, in order; the optimizer could take the state's index instead
 * and read every active job.
 */
export const byNextRun = { forceIndex: 'jobs_next_run_idx' } as const;
export type ExecutionRow = typeof jobExecutions.$inferSelect;
export type InstanceRow = typeof schedulerInstances.$inferSelect;
export type ApiTokenRow = typeof apiTokens.$inferSelect;
