import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { drizzle } from 'drizzle-orm/mysql2';
import mysql from 'mysql2/promise';
import { WORDS_ISOLATION, indexJobWords, indexUnindexedJobs } from '../../db/job-words';
import { prepareDatabase } from '../../db/migrate';
import { createJob, deleteJob, updateJob } from '../../scheduler/jobs';
import { SEARCH_COUNT_CAP, listJobs } from '../../scheduler/list-jobs';
import { createTestDatabase, type TestDatabase } from './helpers';
import { countingConnection, numbers } from './jobs-at-scale';

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
const wordsOf = async (id: string) => (await tdb.query<{ word: string }>('SELECT word FROM job_words WHERE job_id = ?', [id])).map((r) => r.word.toLowerCase()).sort();

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

  it('keeps words the collation finds equal, so each is found by its own prefix', async () => {
    await createJob(tdb.ctx, job('strasse-sync', 'Straße Sync'));
    expect(await wordsOf('strasse-sync')).toEqual(['strasse', 'straße', 'sync']);
    expect(await found('strass')).toEqual(['strasse-sync']);
    expect(await found('straß')).toEqual(['strasse-sync']);
    await deleteJob(tdb.ctx, 'strasse-sync');
    await createJob(tdb.ctx, job('ist-1', 'İstanbul backup'));
    expect(await found('İstanbul')).toEqual(['ist-1']);
    expect(await found('istan back')).toEqual(['ist-1']);
    await deleteJob(tdb.ctx, 'ist-1');
  });

  it('renames neighbouring jobs at once without deadlocks', async () => {
    const ids = Array.from({ length: 12 }, (_, i) => `adj-${String(i).padStart(2, '0')}`);
    for (const id of ids) await createJob(tdb.ctx, job(id, `Neighbour ${id}`));
    for (const round of ['Zeta', 'Alpha', 'Mu']) {
      await Promise.all(ids.map((id) => updateJob(tdb.ctx, id, { name: `${round} ${id}` })));
    }
    expect((await found('mu')).sort()).toEqual(ids);
    expect(await found('zeta')).toEqual([]);

    // The interleaving that deadlocks at REPEATABLE READ, made to happen: both renames delete
    // their words, then each inserts a word into the gap beside the other's (adj-00's new word
    // sorts after its old ones, adj-01's before). At the isolation the services use, neither waits.
    const [a, b] = [await mysql.createConnection(tdb.url), await mysql.createConnection(tdb.url)];
    try {
      for (const c of [a, b]) {
        await c.query('SET SESSION innodb_lock_wait_timeout = 2');
        await c.query(`SET TRANSACTION ISOLATION LEVEL ${WORDS_ISOLATION.toUpperCase()}`);
        await c.query('START TRANSACTION');
      }
      // indexJobWords' first statement, in each, before either goes on.
      await a.query("DELETE FROM job_words WHERE job_id IN ('adj-00')");
      await b.query("DELETE FROM job_words WHERE job_id IN ('adj-01')");
      // Each then writes its words (and raises the words' version: one after the other) and commits.
      await Promise.all([
        indexJobWords(drizzle(a), [{ id: 'adj-00', name: 'Zz adj-00' }]).then(() => a.query('COMMIT')),
        indexJobWords(drizzle(b), [{ id: 'adj-01', name: '00 adj-01' }]).then(() => b.query('COMMIT')),
      ]);
    } finally {
      await Promise.all([a.end(), b.end()]);
    }
    expect(await wordsOf('adj-00')).toEqual(['00', 'adj', 'zz']);
    expect(await wordsOf('adj-01')).toEqual(['00', '01', 'adj']);
    for (const id of ids) await deleteJob(tdb.ctx, id);
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

    // Processes starting at once: each starts, and every job is indexed, once.
    await tdb.query(
      `INSERT INTO jobs (id, name, task, args, \`trigger\`, state, next_run_at, options)
       SELECT CONCAT('many-', n), CONCAT('Bulk written ', n), 'log.message', '{}', '{}', 'paused', NULL, '{}' FROM ${numbers(3000)}`,
    );
    await Promise.all([prepareDatabase(tdb.url), prepareDatabase(tdb.url), prepareDatabase(tdb.url)]);
    const [{ words }] = await tdb.query<{ words: number }>("SELECT COUNT(*) AS words FROM job_words WHERE job_id LIKE 'many-%'");
    expect(Number(words)).toBe(3000 * 4); // bulk, written, n; many (n again, from the id, is the same word)
    expect((await listJobs(tdb.ctx, { q: 'bulk written' })).total).toBe(SEARCH_COUNT_CAP);
    await tdb.query("DELETE FROM jobs WHERE id LIKE 'many-%'");
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

  it('counts the matches, not the jobs holding the looked-up word, when the search has short words too', async () => {
    // "w" begins a word of every id, "gamma" one of 100 names: never in the same field.
    expect(await listJobs(tdb.ctx, { q: 'gamma w' })).toMatchObject({ items: [], total: 0, totalExact: true });
    // "alpha" is held by more than the cap: no "500+" either.
    expect(await listJobs(tdb.ctx, { q: 'alpha w' })).toMatchObject({ items: [], total: 0, totalExact: true });
    expect(await listJobs(tdb.ctx, { q: 'w-00 item' })).toMatchObject({ total: 0, totalExact: true });
    expect(await listJobs(tdb.ctx, { q: 'w-0012' })).toMatchObject({ total: 1, totalExact: true, items: [{ id: 'w-0012' }] });
  });

  it("keeps the words' lists between searches until words are written, by any process", async () => {
    const { ctx, pool } = countingConnection(tdb);
    try {
      const selects = async (fn: () => Promise<unknown>) => {
        const count = async () => Number(((await pool.query("SHOW SESSION STATUS LIKE 'Com_select'"))[0] as Array<{ Value: string }>)[0].Value);
        const before = await count();
        await fn();
        return (await count()) - before;
      };
      const search = () => listJobs(ctx, { q: 'alpha beta', sort: 'name', pageSize: 100 });
      const first = await selects(search);
      // The words' version, the two lists, the count, the page, its last executions; then without the lists.
      expect(first).toBe(6);
      expect(await selects(search)).toBe(4);
      // A job written through another pool (another process, as far as this one knows) is found at once.
      await createJob(tdb.ctx, job('w-new', 'Beta Alpha newest'));
      expect(await selects(search)).toBe(6);
      expect((await search()).total).toBe(19);
      await deleteJob(tdb.ctx, 'w-new');
      expect((await search()).total).toBe(18);
    } finally {
      await pool.end();
    }
  });

  it('finds the same jobs through words written before migration 0010, which the next start indexes again', async () => {
    const fieldsOf = async () => (await tdb.query<{ fields: number }>("SELECT DISTINCT fields FROM job_words WHERE job_id LIKE 'w-%' ORDER BY fields")).map((r) => r.fields);
    expect(await fieldsOf()).toEqual([1, 2]); // names and ids share no word here
    const before = await Promise.all(['alpha beta', 'gamma w', 'bet alp gam', 'w item'].map((q) => listJobs(tdb.ctx, { q, sort: 'name', pageSize: 100 })));
    // As migration 0010 leaves them: not saying where they are (and a write, so kept lists go).
    await tdb.query("UPDATE job_words SET fields = 0 WHERE job_id LIKE 'w-%'");
    await tdb.query('UPDATE job_words_version SET version = version + 1');
    const during = await Promise.all(['alpha beta', 'gamma w', 'bet alp gam', 'w item'].map((q) => listJobs(tdb.ctx, { q, sort: 'name', pageSize: 100 })));
    expect(during).toEqual(before);
    expect(await indexUnindexedJobs(tdb.db)).toBe(1200);
    expect(await fieldsOf()).toEqual([1, 2]);
    expect(await indexUnindexedJobs(tdb.db)).toBe(0);
  });

  it('says "500+" when they are held together by more than the cap', async () => {
    expect(await listJobs(tdb.ctx, { q: 'alpha item' })).toMatchObject({ total: SEARCH_COUNT_CAP, totalExact: false });
    expect(await listJobs(tdb.ctx, { q: 'alpha' })).toMatchObject({ total: SEARCH_COUNT_CAP, totalExact: false });
    // With a filter that leaves fewer, the count is exact again.
    expect(await listJobs(tdb.ctx, { q: 'alpha', state: 'active' })).toMatchObject({ total: 0, totalExact: true });
  });

  it('counts the jobs left once some are deleted, though the lists kept from before still hold them', async () => {
    expect(await listJobs(tdb.ctx, { q: 'alpha item' })).toMatchObject({ total: SEARCH_COUNT_CAP, totalExact: false });
    // Deleting does not change the words' version: the kept lists and their intersection stay.
    const before = await tdb.query<{ version: number }>('SELECT version FROM job_words_version');
    for (let n = 0; n < 200; n++) if (n % 50 !== 0) await deleteJob(tdb.ctx, `w-${String(n).padStart(4, '0')}`);
    expect(await tdb.query<{ version: number }>('SELECT version FROM job_words_version')).toEqual(before);
    expect(await listJobs(tdb.ctx, { q: 'alpha item' })).toMatchObject({ total: 606 - 196, totalExact: true });
    expect(await listJobs(tdb.ctx, { q: 'alpha beta' })).toMatchObject({ total: 18, totalExact: true });
  });
});
