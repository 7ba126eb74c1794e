import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { indexUnindexedJobs } from '../../db/job-words';
import { prepareDatabase } from '../../db/migrate';
import { createJob, deleteJob, updateJob } from '../../scheduler/jobs';
import { SEARCH_COUNT_CAP, listJobs } from '../../scheduler/list-jobs';
import { createTestDatabase, type TestDatabase } from './helpers';
import { numbers } from './jobs-at-scale';

/**
 * The search's word table (db/job-words.ts) kept with the jobs: Cronboard's writes index a job in
 * the same transaction, a deletion takes its words along, a process start indexes jobs written
 * by SQL, and a search of several words each held by many jobs intersects their lists.
 */

let tdb: TestDatabase;

beforeAll(async () => {
  tdb = await createTestDatabase('job_words');
});

afterAll(async () => {
  await tdb?.cleanup();
});

const job = (id: string, name: string) => ({
  id,
  name,
  task: 'log.message',
  args: { message: 'hi' },
  trigger: { type: 'cron', expression: '*/5 * * * *', timezone: 'UTC' },
});
const found = async (q: string) => (await listJobs(tdb.ctx, { q, sort: 'name', pageSize: 100 })).items.map((j) => j.id);
const wordsOf = async (id: string) => (await tdb.query<{ word: string }>('SELECT word FROM job_words WHERE job_id = ? ORDER BY word', [id])).map((r) => r.word);

describe("a job's words follow its writes", () => {
  it('are written with the job, replaced on a rename or a replacement, and deleted with it', async () => {
    await createJob(tdb.ctx, job('orbit-1', 'Launch Orbiter'));
    expect(await wordsOf('orbit-1')).toEqual(['1', 'launch', 'orbit', 'orbiter']);
    expect(await found('orbi')).toEqual(['orbit-1']);

    // A change that keeps the name leaves the words; a rename replaces them.
    await updateJob(tdb.ctx, 'orbit-1', { description: 'no new words' });
    expect(await wordsOf('orbit-1')).toEqual(['1', 'launch', 'orbit', 'orbiter']);
    await updateJob(tdb.ctx, 'orbit-1', { name: 'Land Rover' });
    expect(await wordsOf('orbit-1')).toEqual(['1', 'land', 'orbit', 'rover']);
    expect(await found('launch')).toEqual([]);
    expect(await found('rover')).toEqual(['orbit-1']);

    await createJob(tdb.ctx, { ...job('orbit-1', 'Dock Station'), replaceExisting: true });
    expect(await wordsOf('orbit-1')).toEqual(['1', 'dock', 'orbit', 'station']);
    expect(await found('rover')).toEqual([]);

    await deleteJob(tdb.ctx, 'orbit-1');
    expect(await wordsOf('orbit-1')).toEqual([]);
  });

  it('writes neither job nor words when the job cannot be written', async () => {
    await createJob(tdb.ctx, job('taken-1', 'First Comet'));
    await expect(createJob(tdb.ctx, job('taken-1', 'Second Nebula'))).rejects.toThrow(/exists already/);
    expect(await wordsOf('taken-1')).toEqual(['1', 'comet', 'first', 'taken']);
    // A stale version is refused whole: the name and its words stay.
    await expect(updateJob(tdb.ctx, 'taken-1', { name: 'Nebula', version: 99 })).rejects.toThrow(/changed by someone else/);
    expect(await found('nebula')).toEqual([]);
    await deleteJob(tdb.ctx, 'taken-1');
  });

  it('indexes jobs written by SQL when a process starts (prepareDatabase), and only those', async () => {
    await tdb.query(
      "INSERT INTO jobs (id, name, task, args, `trigger`, state, next_run_at, options) VALUES ('sql-1', 'Written by hand', 'log.message', '{}', '{}', 'paused', NULL, '{}')",
    );
    expect(await found('hand')).toEqual([]);
    await prepareDatabase(tdb.url);
    expect(await found('hand')).toEqual(['sql-1']);
    expect(await indexUnindexedJobs(tdb.db)).toBe(0);
    await tdb.query("DELETE FROM jobs WHERE id = 'sql-1'");
  });
});

describe('a search of several common words', () => {
  beforeAll(async () => {
    // 1,200 jobs: "alpha" in 606, "beta" in 612, both in 18 (more than the cap each, few together),
    // "gamma" in 100.
    await tdb.query(
      `INSERT INTO jobs (id, name, task, args, \`trigger\`, state, next_run_at, options)
       SELECT CONCAT('w-', LPAD(n, 4, '0')),
              CONCAT(IF(n < 600 OR n % 100 = 0, 'Alpha ', ''), IF(n >= 600 OR n % 50 = 0, 'Beta ', ''), IF(n % 12 = 0, 'Gamma ', ''), 'item'),
              'log.message', '{}', '{}', 'paused', NULL, '{}'
       FROM ${numbers(1200)}`,
    );
    await indexUnindexedJobs(tdb.db);
  });

  it('finds exactly the jobs holding all of them, counted exactly', async () => {
    const both = Array.from({ length: 1200 }, (_, n) => n)
      .filter((n) => (n < 600 || n % 100 === 0) && (n >= 600 || n % 50 === 0))
      .map((n) => `w-${String(n).padStart(4, '0')}`);
    expect(both).toHaveLength(18);
    const page = await listJobs(tdb.ctx, { q: 'alpha beta', sort: 'name', pageSize: 100 });
    expect(page).toMatchObject({ total: both.length, totalExact: true });
    expect(page.items.map((j) => j.id).sort()).toEqual(both);
    expect((await found('bet alp gam')).sort()).toEqual(both.filter((id) => Number(id.slice(2)) % 12 === 0));
  });

  it('says "500+" when they are held together by more than the cap', async () => {
    expect(await listJobs(tdb.ctx, { q: 'alpha item' })).toMatchObject({ total: SEARCH_COUNT_CAP, totalExact: false });
    expect(await listJobs(tdb.ctx, { q: 'alpha' })).toMatchObject({ total: SEARCH_COUNT_CAP, totalExact: false });
    // With a filter that leaves fewer, the count is exact again.
    expect(await listJobs(tdb.ctx, { q: 'alpha', state: 'active' })).toMatchObject({ total: 0, totalExact: true });
  });
});
