import type { Execution } from '@/lib/types';

/** The expanded part of a history row: error, stack, task log and result in pre blocks. */
export function ExecutionDetails({ execution: e }: { execution: Execution }) {
  return (
    <div className="execution-details">
      <p className="muted execution-meta">
        Run #{e.id} · {e.kind === 'manual' ? 'run now' : 'scheduled'} · attempt {e.attempt}
        {e.missedCount && e.missedCount > 1 ? ` · stands for ${e.missedCount} missed fires` : ''}
        {e.missedUntil ? ` (until ${e.missedUntil})` : ''}
      </p>
      {e.error ? (
        <section>
          <h4>Error</h4>
          <pre className="pre pre-error">{e.error}</pre>
        </section>
      ) : null}
      {e.stack ? (
        <section>
          <h4>Stack</h4>
          <pre className="pre">{e.stack}</pre>
        </section>
      ) : null}
      <section>
        <h4>Log</h4>
        {e.log ? <pre className="pre">{e.log}</pre> : <p className="muted">The task logged nothing.</p>}
      </section>
      {e.result ? (
        <section>
          <h4>Result</h4>
          <pre className="pre">{e.result}</pre>
        </section>
      ) : null}
    </div>
  );
}
