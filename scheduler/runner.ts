import { setMaxListeners } from 'node:events';
import type { JobRow } from '../db/schema';
import { queueRetry, type QueuedRun } from './claim';
import type { SchedulerContext } from './context';
import type { EngineLogger } from './log';
import { BusyTracker } from './quiet';
import { Recorder } from './recorder';
import { RunAborted, runTask } from './run';
import { retryDelayMs, settleWithin } from './timing';

/**
 * The runs an engine has claimed: it starts them (a fire claimed ahead at its instant), records
 * their outcomes through the Recorder, queues retries, and at shutdown lets them finish, aborts
 * what outlives the grace period, and gives up on claimed runs that have not started.
 */

interface Running {
  /** The run's own controller, for a job with a timeout (others share the shutdown signal). */
  controller: AbortController | null;
  done: Promise<void>;
}

/** Fires claimed ahead that start at one instant share a timer (a gate). */
interface Gate {
  timer: NodeJS.Timeout | undefined;
  open: () => void;
}

export class Runner {
  private readonly running = new Map<number, Running>();
  private readonly gates = new Set<Gate>();
  /**
   * Aborted at shutdown once the grace period is over: the signal of every run without a timeout
   * (one AbortController per run costs more than many small tasks do).
   */
  private readonly shutdownSignal = new AbortController();
  /** Set at shutdown once the grace period is over: claimed runs that have not started never will. */
  private abandonPending = false;
  private readonly abandoned: number[] = [];
  private readonly recorder: Recorder;
  /** Tasks' quiet(): one function for every run. */
  private readonly quiet = (ms: number) => this.busy.quiet(ms);

  constructor(
    private readonly ctx: SchedulerContext,
    private readonly log: EngineLogger,
    /** Called when a retry was queued (the engine wakes to pick it up in time). */
    private readonly onRetryQueued: () => void,
    /** Told when claimed fires start; gives tasks their quiet(). */
    private readonly busy: BusyTracker = new BusyTracker(() => ctx.now().getTime()),
  ) {
    this.recorder = new Recorder(ctx.db, log);
    setMaxListeners(0, this.shutdownSignal.signal);
  }

  /** Number of runs claimed here and not yet recorded. */
  get size(): number {
    return this.running.size;
  }

  /** Ids of the executions this process owns (claimed and not yet recorded). */
  ids(): number[] {
    return [...this.running.keys()];
  }

  /** The runs of these jobs that are over here, their outcome on its way to the database. */
  finishedHere(jobIds: string[]): number[] {
    return this.recorder.pendingOf(jobIds);
  }

  /** Starts runs claimed in one batch, each at its scheduled instant (one timer per instant). */
  startAtInstants(runs: Array<{ job: JobRow; run: QueuedRun }>): void {
    const byInstant = new Map<number, Promise<void>>();
    for (const { job, run } of runs) {
      const at = run.scheduledFor.getTime();
      let ready = byInstant.get(at);
      if (!ready) byInstant.set(at, (ready = this.gate(at)));
      this.start(job, run, ready);
    }
  }

  /**
   * Starts a run in the background once `ready` resolves, records its outcome and queues a retry
   * when the job asks.
   */
  start(job: JobRow, run: QueuedRun, ready: Promise<void> = Promise.resolve()): void {
    const entry: Running = { controller: null, done: Promise.resolve() };
    entry.done = this.runWhenReady(job, run, entry, ready);
    this.running.set(run.id, entry);
  }

  /**
   * Shutdown, first part: lets the runs finish within `graceMs`, then gives up on the claimed runs
   * that have not started, aborts the others and gives them 2 s to end. Returns the ids still
   * owned (the engine marks them interrupted, then calls forgetAbandoned()).
   */
  async drain(graceMs: number, reason: RunAborted): Promise<number[]> {
    await settleWithin([...this.running.values()].map((r) => r.done), graceMs);
    const left = [...this.running.values()];
    this.abandonPending = true;
    for (const gate of [...this.gates]) gate.open();
    this.shutdownSignal.abort(reason);
    for (const r of left) r.controller?.abort(reason);
    await settleWithin(left.map((r) => r.done), 2000);
    return this.ids();
  }

  /** Shutdown, last part: the runs given up on leave the list; writes that fail are no longer retried. */
  close(): void {
    for (const id of this.abandoned) this.running.delete(id);
    this.recorder.close();
  }

  /**
   * Resolves once the clock reaches `at` (at once when it has), or when shutdown gives up on the
   * runs waiting for it. A timer can fire a millisecond early by the wall clock, so it waits again
   * (a few times at most: an injected clock may never get there).
   */
  private gate(at: number): Promise<void> {
    const opened = new Promise<void>((resolve) => {
      const gate: Gate = {
        timer: undefined,
        open: () => {
          clearTimeout(gate.timer);
          this.gates.delete(gate);
          resolve();
        },
      };
      let waits = 0;
      const check = () => {
        const ms = at - this.ctx.now().getTime();
        if (ms <= 0 || waits++ >= 5) gate.open();
        else gate.timer = setTimeout(check, ms);
      };
      this.gates.add(gate);
      check();
    });
    this.busy.startsAt(at, opened);
    return opened;
  }

  private async runWhenReady(job: JobRow, run: QueuedRun, entry: Running, ready: Promise<void>): Promise<void> {
    await ready;
    // Given up on at shutdown: the run stays listed until shutdown has marked its row interrupted.
    if (this.abandonPending) {
      this.abandoned.push(run.id);
      return;
    }
    try {
      if (job.options.timeoutMs) entry.controller = new AbortController();
      await this.runAndRecord(job, run, entry.controller);
    } catch (err) {
      this.log.error(`run of execution ${run.id} failed unexpectedly`, err);
    } finally {
      this.running.delete(run.id);
    }
  }

  private async runAndRecord(job: JobRow, run: QueuedRun, controller: AbortController | null): Promise<void> {
    const timeoutMs = job.options.timeoutMs;
    const timer =
      controller && timeoutMs ? setTimeout(() => controller.abort(new RunAborted('timeout', `Timed out after ${timeoutMs} ms.`)), timeoutMs) : null;
    const signal = controller?.signal ?? this.shutdownSignal.signal;
    const startedAt = this.ctx.now();
    try {
      const outcome = await runTask(this.ctx.db, job, { id: run.id, scheduledFor: run.scheduledFor, attempt: run.attempt, startedAt }, signal, this.ctx.now, this.quiet);
      if (timer) clearTimeout(timer);
      await this.recorder.record({ jobId: job.id, executionId: run.id, startedAt, outcome });
      const retries = job.options.retries;
      if (retries && run.attempt <= retries.max && (outcome.status === 'failed' || outcome.status === 'timed_out')) {
        await this.retry(run, retries.backoffMs);
      }
    } finally {
      if (timer) clearTimeout(timer);
    }
  }

  /** Queues the next attempt after an exponential backoff with ±20 % jitter. */
  private async retry(run: QueuedRun, backoffMs: number): Promise<void> {
    const delay = retryDelayMs(run.attempt, backoffMs);
    try {
      if (await queueRetry(this.ctx.db, run, new Date(this.ctx.now().getTime() + delay))) this.onRetryQueued();
    } catch (err) {
      this.log.error(`could not queue attempt ${run.attempt + 1} of execution ${run.id}`, err);
    }
  }
}
