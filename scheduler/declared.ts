import type { JobInput } from '../lib/schemas';

/**
 * Jobs declared in code (like django-apscheduler's register_job). They are created or updated
 * on every start and marked `source: code`. Add yours to the list. Each needs a stable `id`.
 *
 * - A declaration is applied when it is new or has changed since it was last applied (its hash
 *   differs), with replace semantics; edits made in the dashboard stick until the code changes.
 * - A job the code no longer declares is paused (not deleted, so its history stays) and a
 *   warning is logged; delete it in the dashboard, or declare it again to resume it.
 */
export function declaredJobs(config: { historyRetentionDays: number }): Array<JobInput & { id: string }> {
  return [
    {
      id: 'system.prune-history',
      name: 'Prune execution history',
      description: `Deletes executions older than ${config.historyRetentionDays} days (HISTORY_RETENTION_DAYS).`,
      task: 'system.prune-history',
      args: { olderThanDays: config.historyRetentionDays },
      trigger: { type: 'cron', expression: '17 3 * * *', timezone: 'UTC' },
      options: { misfireGraceMs: 6 * 3_600_000 },
    },
  ];
}
