import type { Db } from '../db/client';
import { rawPoolQuery } from '../db/raw';
import type { Job } from '../lib/types';

export type LastExecution = NonNullable<Job['lastExecution']>;

/**
 * Each job's last execution as the dashboard and the API show it: its newest row that has
 * finished (any status but running and queued), newest by scheduled instant then attempt, looked
 * up along the fire key's index. Read when jobs are shown, not kept on the job row: the engine
 * would have to write every job after every run to keep it there (see slots.ts).
 */
export async function lastExecutions(db: Db, jobIds: string[]): Promise<Map<string, LastExecution>> {
  const last = new Map<string, LastExecution>();
  if (!jobIds.length) return last;
  const rows = await rawPoolQuery<Array<{ job_id: string; id: number; status: LastExecution['status']; at: Date }>>(
    db,
    `SELECT e.job_id, e.id, e.status, COALESCE(e.finished_at, e.started_at, e.scheduled_for) AS at
       FROM jobs j STRAIGHT_JOIN job_executions e FORCE INDEX (PRIMARY)
         ON e.id = (SELECT x.id FROM job_executions x FORCE INDEX (job_executions_fire_uq)
                     WHERE x.job_id = j.id AND x.status NOT IN ('running', 'queued') ORDER BY x.scheduled_for DESC, x.attempt DESC LIMIT 1)
      WHERE j.id IN (?)`,
    [jobIds],
  );
  for (const r of rows) last.set(r.job_id, { id: Number(r.id), status: r.status, at: new Date(r.at).toISOString() });
  return last;
}
