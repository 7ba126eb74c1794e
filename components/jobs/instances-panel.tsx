'use client';

import type { InstanceInfo } from '@/lib/types';
import { CompactTable } from '@/components/compact-table';
import { RelativeTime, useViewerZone } from '@/components/jobs/time';

/** Instances that stopped answering are listed only while their last heartbeat is this recent. */
export const DEAD_INSTANCE_VISIBLE_MS = 3_600_000;

/** The instances worth showing at `now`: every live one, and dead ones seen within the last hour; live first. */
export function visibleInstances(instances: InstanceInfo[], now: Date): InstanceInfo[] {
  const cutoff = now.getTime() - DEAD_INSTANCE_VISIBLE_MS;
  return instances
    .filter((i) => i.alive || new Date(i.lastSeenAt).getTime() >= cutoff)
    .sort((a, b) => Number(b.alive) - Number(a.alive) || b.lastSeenAt.localeCompare(a.lastSeenAt));
}

/** "alive" (green dot) or "not responding" (red dot). */
function InstanceStatus({ alive }: { alive: boolean }) {
  return (
    <span className={`badge ${alive ? 'badge-active' : 'badge-failed'} instance-status`}>
      <span className="instance-status-dot" aria-hidden="true" />
      {alive ? 'alive' : 'not responding'}
    </span>
  );
}

/**
 * "Scheduler instances": who is running the engine against this database, from the heartbeat rows.
 * `now` is the server's time when `instances` was read (ISO), so filtering is the same on server
 * and client. With no live instance it warns that jobs will not fire.
 */
export function InstancesPanel({ instances, now }: { instances: InstanceInfo[]; now: string }) {
  const zone = useViewerZone() ?? undefined;
  const shown = visibleInstances(instances, new Date(now));
  const aliveCount = shown.filter((i) => i.alive).length;

  return (
    <section aria-labelledby="instances-heading" className="section instances-panel">
      <div className="instances-header">
        <h2 id="instances-heading">Scheduler instances</h2>
        <span className="muted instances-summary">
          {aliveCount} {aliveCount === 1 ? 'instance' : 'instances'} alive
        </span>
      </div>

      {aliveCount === 0 ? (
        <div role="status" className="notice notice-warning">
          <p>
            <strong>No scheduler is running: jobs will not fire.</strong> Start the app with <code>SCHEDULER_ENABLED=true</code> or run{' '}
            <code>npm run scheduler</code>.
          </p>
        </div>
      ) : null}

      {shown.length === 0 ? (
        <p className="muted instances-empty">No scheduler instance has reported in the last hour.</p>
      ) : (
        <CompactTable className="instances-table" labelledBy="instances-heading" columns={['Status', 'Instance', 'Started', 'Last heartbeat']}>
          {shown.map((instance) => (
            <tr key={instance.id} className={instance.alive ? undefined : 'instance-dead'}>
              <td>
                <InstanceStatus alive={instance.alive} />
              </td>
              <td>
                <code className="instance-id">{instance.id}</code>
              </td>
              <td>
                <RelativeTime iso={instance.startedAt} zone={zone} />
              </td>
              <td>
                <RelativeTime iso={instance.lastSeenAt} zone={zone} />
              </td>
            </tr>
          ))}
        </CompactTable>
      )}
    </section>
  );
}
