import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { claimDueBatch } from '../../scheduler/batch-claim';
import { JobDefinitions } from '../../scheduler/job-definitions';
import { createJob, deleteJob, updateJob } from '../../scheduler/jobs';
import { createTestDatabase, type TestDatabase } from './helpers';

/**
 * A claim keeps each job's definition between claims (JobDefinitions) and reads the whole row
 * again only when the definition changed: an edit, or the job deleted and made again, even within
 * the same millisecond and version. The columns claims change (state, next fire, runs in
 * progress) are read fresh every time.
 */

let tdb: TestDatabase;
const definitions = new JobDefinitions();

beforeAll(async () => {
  tdb = await createTestDatabase('claim_definitions');
});

afterAll(async () => {
  await tdb?.cleanup();
});

const job = (message: string) => ({ id: 'j', task: 'log.message', args: { message }, trigger: { type: 'interval', every: { hours: 1 } } });

/** Makes the job due now with nothing in progress, claims it, and returns what the claim did. */
async function claimNow() {
  await tdb.query("UPDATE job_executions SET status = 'succeeded' WHERE status = 'running'");
  await tdb.query("UPDATE jobs SET next_run_at = ?, running_count = 0 WHERE id = 'j'", [new Date(Date.now() - 1000)]);
  const batch = await claimDueBatch(tdb.db, ['j'], new Date(), 'test', { definitions });
  const rows = await tdb.query<{ status: string }>("SELECT status FROM job_executions WHERE job_id = 'j' ORDER BY id DESC LIMIT 1");
  return { batch, status: rows[0]?.status };
}

describe('claims and job definitions', () => {
  it('uses the job as it is now after an edit, and after it is deleted and made again in the same millisecond', async () => {
    await createJob(tdb.ctx, job('one'));
    expect((await claimNow()).batch.runs.map((r) => r.job.args)).toEqual([{ message: 'one' }]);
    expect((await claimNow()).batch.runs.map((r) => r.job.args)).toEqual([{ message: 'one' }]);

    await updateJob(tdb.ctx, 'j', { args: { message: 'two' } });
    expect((await claimNow()).batch.runs.map((r) => r.job.args)).toEqual([{ message: 'two' }]);

    // Made again with the version and times of the one before: only its content tells them apart.
    const [before] = await tdb.query<{ version: number; created_at: Date; updated_at: Date }>("SELECT version, created_at, updated_at FROM jobs WHERE id = 'j'");
    await deleteJob(tdb.ctx, 'j');
    await createJob(tdb.ctx, job('three'));
    await tdb.query("UPDATE jobs SET version = ?, created_at = ?, updated_at = ? WHERE id = 'j'", [before.version, before.created_at, before.updated_at]);
    expect((await claimNow()).batch.runs.map((r) => r.job.args)).toEqual([{ message: 'three' }]);
  });

  it('reads the runs in progress fresh whatever it keeps of the definition', async () => {
    expect((await claimNow()).status).toBe('running');
    await tdb.query("UPDATE jobs SET next_run_at = ?, running_count = 1 WHERE id = 'j'", [new Date(Date.now() - 1000)]);
    const batch = await claimDueBatch(tdb.db, ['j'], new Date(), 'test', { definitions });
    expect(batch.runs).toEqual([]);
    const rows = await tdb.query<{ status: string }>("SELECT status FROM job_executions WHERE job_id = 'j' ORDER BY id DESC LIMIT 1");
    expect(rows[0].status).toBe('skipped');
  });
});
