import type { ReactNode } from 'react';
import type { Job, StoredJobOptions, StoredTrigger } from '@/lib/types';
import { formatDuration } from '@/lib/time';
import { ZonedTime } from './time';

function Row({ term, children }: { term: string; children: ReactNode }) {
  return (
    <div className="dl-row">
      <dt>{term}</dt>
      <dd>{children}</dd>
    </div>
  );
}

function everyText(every: Record<string, number | undefined>): string {
  const parts = Object.entries(every)
    .filter(([, n]) => n)
    .map(([unit, n]) => `${n} ${n === 1 ? unit.replace(/s$/, '') : unit}`);
  return parts.length ? parts.join(' ') : '—';
}

/** "500 ms", "1 s", "1.5 s", "2 min 00 s". */
function shortDuration(ms: number): string {
  if (ms >= 1000 && ms < 60_000 && ms % 1000 === 0) return `${ms / 1000} s`;
  return formatDuration(ms);
}

/** "2 retries, backoff 1 s doubling", or "None". */
export function retriesText(retries: StoredJobOptions['retries']): string {
  if (!retries || retries.max <= 0) return 'None';
  const count = `${retries.max} ${retries.max === 1 ? 'retry' : 'retries'}`;
  return retries.backoffMs > 0 ? `${count}, backoff ${shortDuration(retries.backoffMs)} doubling` : `${count}, no backoff`;
}

function TriggerFields({ trigger }: { trigger: StoredTrigger }) {
  const zone = trigger.timezone;
  return (
    <>
      <Row term="Trigger type">{trigger.type}</Row>
      {trigger.type === 'cron' ? (
        <Row term="Cron expression">
          <code>{trigger.expression}</code>
        </Row>
      ) : null}
      {trigger.type === 'interval' ? <Row term="Every">{everyText(trigger.every)}</Row> : null}
      {trigger.type === 'date' ? (
        <Row term="Runs at">
          <ZonedTime iso={trigger.runAt} zone={zone} />
        </Row>
      ) : null}
      <Row term="Time zone">{zone}</Row>
      {trigger.startAt ? (
        <Row term="Window start">
          <ZonedTime iso={trigger.startAt} zone={zone} />
        </Row>
      ) : null}
      {trigger.endAt ? (
        <Row term="Window end">
          <ZonedTime iso={trigger.endAt} zone={zone} />
        </Row>
      ) : null}
      <Row term="Jitter">{trigger.jitterMs ? `up to ${shortDuration(trigger.jitterMs)}` : 'None'}</Row>
    </>
  );
}

/** A job's settings: task and args, schedule in words and the raw trigger fields, options. */
export function JobSettings({ job }: { job: Job }) {
  const o = job.options;
  return (
    <div className="settings-grid">
      <section className="card" aria-labelledby="settings-task">
        <h3 id="settings-task">Task</h3>
        <dl className="dl">
          <Row term="Task">
            <code>{job.task}</code>
          </Row>
          {job.description ? <Row term="Description">{job.description}</Row> : null}
          <Row term="Source">{job.source === 'code' ? 'Declared in code' : 'Created by a user'}</Row>
        </dl>
        <h4>Arguments</h4>
        <pre className="pre">
          {JSON.stringify(job.args, null, 2)}
        </pre>
      </section>
      <section className="card" aria-labelledby="settings-schedule">
        <h3 id="settings-schedule">Schedule</h3>
        <p className="schedule-words">{job.schedule}</p>
        <dl className="dl">
          <TriggerFields trigger={job.trigger} />
        </dl>
      </section>
      <section className="card" aria-labelledby="settings-options">
        <h3 id="settings-options">Options</h3>
        <dl className="dl">
          <Row term="Max instances">{o.maxInstances}</Row>
          <Row term="Coalesce missed fires">{o.coalesce ? 'Yes' : 'No'}</Row>
          <Row term="Misfire grace">{formatDuration(o.misfireGraceMs)}</Row>
          <Row term="Timeout">{o.timeoutMs ? formatDuration(o.timeoutMs) : 'None'}</Row>
          <Row term="Retries">{retriesText(o.retries)}</Row>
          <Row term="Version">{job.version}</Row>
          <Row term="Created">
            <ZonedTime iso={job.createdAt} zone={job.trigger.timezone} />
          </Row>
          <Row term="Updated">
            <ZonedTime iso={job.updatedAt} zone={job.trigger.timezone} />
          </Row>
        </dl>
      </section>
    </div>
  );
}
