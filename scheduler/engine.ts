import { hostname } from 'node:os';
import { randomBytes } from 'node:crypto';
import type { JobRow } from '../db/schema';
import { coerceError } from '../lib/errors';
import { dbErrorCode, isTransientDbError } from '../db/client';
import { claimFire, claimQueued, dueJobs, earliestFire, earliestQueued, markInterrupted, quarantineJob, queueRetry, queuedRuns, type QueuedRun } from './claim';
import { onJobsChanged, type SchedulerContext } from './context';
import { consoleLogger, type EngineLogger } from './log';
import { heartbeat, recoverDeadInstances, recoverOrphans, removeHeartbeat } from './recovery';
import { RunAborted, noteLastRun, recordOutcome, runTask, type Outcome } from './run';
import { forEachConcurrent, loopBackoffMs, retryDelayMs, settleWithin } from './timing';

export interface EngineOptions {
  ctx: SchedulerContext;
  /** Name in heartbeats and execution rows; must be unique per process. Default "<host>:<pid>:<random>". */
  instanceId?: string;
  /** Longest sleep between database reads, so other instances' edits are seen. Default 1000 ms. */
  pollMs?: number;
  /** Most due jobs claimed per loop turn. Default 200. */
  batchSize?: number;
  /** Heartbeat period. Default 5000 ms; an instance is dead after 3 missed beats. */
  heartbeatMs?: number;
  /** How long stop() lets running work finish before marking it interrupted. Default 10 000 ms. */
  shutdownGraceMs?: number;
  logger?: EngineLogger;
}

/** Due fires claimed side by side in one turn (the pool has 10 connections; the rest record outcomes). */
const CLAIM_CONCURRENCY = 6;

interface Running {
  executionId: number;
  controller: AbortController;
  done: Promise<void>;
}

/**
 * The scheduler loop. The database is the source of truth; timers only wake the loop. Each turn
 * it claims run-now requests and due fires, starts their tasks without waiting for them, then
 * sleeps until the earliest planned fire (at most pollMs) or until a local change wakes it.
 */
export class Engine {
  readonly instanceId: string;
  private readonly ctx: SchedulerContext;
  private readonly pollMs: number;
  private readonly batchSize: number;
  private readonly heartbeatMs: number;
  private readonly shutdownGraceMs: number;
  private readonly log: EngineLogger;
  private readonly startedAt: Date;
  private readonly running = new Map<number, Running>();
  private state: 'idle' | 'running' | 'stopping' | 'stopped' = 'idle';
  private loopDone: Promise<void> | null = null;
  private stopPromise: Promise<void> | null = null;
  private wakeUp: (() => void) | null = null;
  private unsubscribe: (() => void) | null = null;
  private wakePending = false;
  private beatTimer: NodeJS.Timeout | null = null;
  private beating: Promise<void> | null = null;
  private failures = 0;

  constructor(options: EngineOptions) {
    this.ctx = options.ctx;
    // Fits varchar(100) even with a long host name.
    const suffix = `${process.pid}:${randomBytes(3).toString('hex')}`;
    this.instanceId = options.instanceId?.slice(0, 100) ?? `${hostname().slice(0, 100 - suffix.length - 1)}:${suffix}`;
    this.pollMs = options.pollMs ?? 1000;
    this.batchSize = options.batchSize ?? 200;
    this.heartbeatMs = options.heartbeatMs ?? 5000;
    this.shutdownGraceMs = options.shutdownGraceMs ?? 10_000;
    this.log = options.logger ?? consoleLogger;
    this.startedAt = this.ctx.now();
  }

  /** Starts the loop; calling it again does nothing. */
  start(): void {
    if (this.state !== 'idle') return;
    this.state = 'running';
    this.unsubscribe = onJobsChanged(() => this.wake());
    // The heartbeat has its own timer: a slow turn or a long back-off must never make a live
    // instance look dead to its peers (they would interrupt its runs).
    void this.beat();
    this.beatTimer = setInterval(() => void this.beat(), this.heartbeatMs);
    this.beatTimer.unref();
    this.loopDone = this.loop();
    this.log.info(`scheduler ${this.instanceId} started`);
  }

  /** Wakes the loop now (after a local change). */
  wake(): void {
    if (this.wakeUp) this.wakeUp();
    else this.wakePending = true;
  }

  /** Number of runs in progress in this process. */
  get inFlight(): number {
    return this.running.size;
  }

  /**
   * Stops claiming, lets running work finish within the grace period, then aborts it and marks
   * it interrupted, and removes the heartbeat. Idempotent: a second call gets the same promise.
   */
  stop(): Promise<void> {
    this.stopPromise ??= this.shutdown();
    return this.stopPromise;
  }

  private async shutdown(): Promise<void> {
    if (this.state === 'idle') {
      this.state = 'stopped';
      return;
    }
    this.state = 'stopping';
    this.unsubscribe?.();
    this.wake();
    await this.loopDone;
    if (this.beatTimer) clearInterval(this.beatTimer);
    await this.beating;
    await settleWithin([...this.running.values()].map((r) => r.done), this.shutdownGraceMs);
    const left = [...this.running.values()];
    for (const r of left) r.controller.abort(new RunAborted('shutdown', `Interrupted: scheduler ${this.instanceId} shut down before the run finished.`));
    await settleWithin(left.map((r) => r.done), 2000);
    try {
      await markInterrupted(this.ctx.db, [...this.running.keys()], this.ctx.now(), `Interrupted: scheduler ${this.instanceId} shut down.`);
      await removeHeartbeat(this.ctx.db, this.instanceId);
    } catch (err) {
      this.log.warn('could not record the shutdown in the database', err);
    }
    this.state = 'stopped';
    this.log.info(`scheduler ${this.instanceId} stopped`);
  }

  private async loop(): Promise<void> {
    while (this.state === 'running') {
      let waitMs = this.pollMs;
      try {
        waitMs = await this.turn();
        if (this.failures > 0) this.log.info(`database reachable again after ${this.failures} failed attempt(s)`);
        this.failures = 0;
      } catch (err) {
        this.failures++;
        // Back off with jitter; the loop never dies.
        waitMs = loopBackoffMs(this.failures);
        this.log.error(`scheduler loop failed (attempt ${this.failures}); retrying in ${Math.round(waitMs)} ms: ${coerceError(err).message}`);
      }
      if (this.state !== 'running') break;
      await this.sleep(waitMs);
    }
  }

  /** One pass: heartbeat, recovery, run-now requests, due fires. Returns how long to sleep. */
  private async turn(): Promise<number> {
    const db = this.ctx.db;
    const now = this.ctx.now();
    for (const q of await queuedRuns(db, now, this.batchSize)) {
      if (this.state !== 'running') return 0;
      const claimed = await claimQueued(db, q, this.ctx.now(), this.instanceId);
      if (claimed?.started) this.execute(claimed.job, q);
      else if (claimed) await noteLastRun(db, q.jobId, q.id, claimed.status, this.ctx.now());
    }
    let due: JobRow[];
    do {
      due = await dueJobs(db, this.ctx.now(), this.batchSize);
      // Claims of different jobs are independent (each is its own conditional transaction), so a
      // few run side by side; the rest of the pool stays free for recording outcomes.
      await forEachConcurrent(due, CLAIM_CONCURRENCY, async (job) => {
        if (this.state !== 'running') return;
        const claim = await this.claimIsolated(job);
        if (!claim) return;
        if (claim.run) {
          this.execute(job, { id: claim.run.executionId, jobId: job.id, scheduledFor: claim.run.scheduledFor, attempt: 1, kind: 'scheduled' });
        } else if (claim.last.status === 'missed' || claim.last.status === 'skipped') {
          await noteLastRun(db, job.id, claim.last.executionId, claim.last.status, this.ctx.now());
        }
      });
      if (this.state !== 'running') return 0;
    } while (due.length === this.batchSize && this.state === 'running');
    const [fire, retry] = await Promise.all([earliestFire(db), earliestQueued(db)]);
    const earliest = Math.min(fire?.getTime() ?? Infinity, retry?.getTime() ?? Infinity);
    const untilNext = Number.isFinite(earliest) ? earliest - this.ctx.now().getTime() : this.pollMs;
    return Math.max(0, Math.min(this.pollMs, untilNext));
  }

  /** Writes the heartbeat and recovers the runs of dead instances (and our own lost claims). */
  private async beat(): Promise<void> {
    if (this.beating || this.state !== 'running') return;
    this.beating = (async () => {
      const db = this.ctx.db;
      const now = this.ctx.now();
      try {
        await heartbeat(db, { id: this.instanceId, host: hostname(), pid: process.pid, startedAt: this.startedAt });
        const recovered = await recoverDeadInstances(db, now, this.heartbeatMs * 3);
        if (recovered) this.log.warn(`marked ${recovered} execution(s) of dead instances interrupted`);
        const orphans = await recoverOrphans(db, this.instanceId, [...this.running.keys()], now, this.heartbeatMs);
        if (orphans) this.log.warn(`marked ${orphans} execution(s) whose claim was lost in a database error interrupted`);
      } catch (err) {
        // A lock conflict with a claim is retried by the next beat; anything else is worth a warning.
        const code = dbErrorCode(err);
        const message = `heartbeat failed (${code ?? 'error'}): ${coerceError(err).message}`;
        if (code === 'ER_LOCK_DEADLOCK' || code === 'ER_LOCK_WAIT_TIMEOUT') this.log.info(message);
        else this.log.warn(message);
      }
    })().finally(() => {
      this.beating = null;
    });
    return this.beating;
  }

  /**
   * Claims a due fire. A database that is down fails the whole turn (the loop backs off); any
   * other error belongs to this job alone: it is paused with a failed row saying why.
   */
  private async claimIsolated(job: JobRow) {
    try {
      return await claimFire(this.ctx.db, job, this.ctx.now(), this.instanceId);
    } catch (err) {
      if (isTransientDbError(err)) throw err;
      const reason = coerceError(err).message;
      this.log.error(`job "${job.id}" could not be scheduled and was paused: ${reason}`, err);
      await quarantineJob(this.ctx.db, job, this.ctx.now(), this.instanceId, reason);
      return null;
    }
  }

  /** Starts a run in the background, records its outcome and queues a retry when the job asks. */
  private execute(job: JobRow, run: QueuedRun): void {
    const controller = new AbortController();
    const timeoutMs = job.options.timeoutMs;
    const timer = timeoutMs
      ? setTimeout(() => controller.abort(new RunAborted('timeout', `Timed out after ${timeoutMs} ms.`)), timeoutMs)
      : null;
    const startedAt = this.ctx.now();
    const done = runTask(this.ctx.db, job, { id: run.id, scheduledFor: run.scheduledFor, attempt: run.attempt, startedAt }, controller.signal, this.ctx.now)
      .then(async (outcome) => {
        if (timer) clearTimeout(timer);
        await this.record(job.id, run.id, outcome);
        const retries = job.options.retries;
        if (retries && run.attempt <= retries.max && (outcome.status === 'failed' || outcome.status === 'timed_out')) {
          await this.retry(run, retries.backoffMs);
        }
      })
      .catch((err: unknown) => this.log.error(`run of execution ${run.id} failed unexpectedly`, err))
      .finally(() => {
        if (timer) clearTimeout(timer);
        this.running.delete(run.id);
      });
    this.running.set(run.id, { executionId: run.id, controller, done });
  }

  /** Queues the next attempt after an exponential backoff with ±20 % jitter. */
  private async retry(run: QueuedRun, backoffMs: number): Promise<void> {
    const delay = retryDelayMs(run.attempt, backoffMs);
    try {
      if (await queueRetry(this.ctx.db, run, new Date(this.ctx.now().getTime() + delay))) this.wake();
    } catch (err) {
      this.log.error(`could not queue attempt ${run.attempt + 1} of execution ${run.id}`, err);
    }
  }

  /**
   * Records an outcome, retrying through a database outage (the row stays `running` meanwhile and
   * the run stays owned, so recovery leaves it alone). Gives up only once the engine has stopped.
   */
  private async record(jobId: string, executionId: number, outcome: Outcome): Promise<void> {
    for (let attempt = 1; ; attempt++) {
      try {
        await recordOutcome(this.ctx.db, jobId, executionId, outcome);
        return;
      } catch (err) {
        if (this.state === 'stopped') {
          this.log.error(`could not record execution ${executionId} before the scheduler stopped; recovery will mark it`, err);
          return;
        }
        if (attempt === 1) this.log.warn(`could not record execution ${executionId}; retrying until the database answers`, err);
        await new Promise((r) => setTimeout(r, Math.min(10_000, 250 * 2 ** attempt)));
      }
    }
  }

  private sleep(ms: number): Promise<void> {
    if (this.wakePending) {
      this.wakePending = false;
      return Promise.resolve();
    }
    return new Promise((resolve) => {
      // Whichever ends the sleep (timer or wake) clears the hook, so a wake during the next pass
      // sets wakePending instead of calling a finished sleeper.
      const done = () => {
        clearTimeout(timer);
        if (this.wakeUp === done) this.wakeUp = null;
        resolve();
      };
      const timer = setTimeout(done, ms);
      this.wakeUp = done;
    });
  }
}
