import { hostname } from 'node:os';
import { randomBytes } from 'node:crypto';
import type { JobRow } from '../db/schema';
import { coerceError } from '../lib/errors';
import { dbErrorCode, isTransientDbError } from '../db/client';
import { claimDueBatch, dueJobIds } from './batch-claim';
import { claimFire, claimQueued, dueJobs, earliestFire, earliestQueued, markInterrupted, quarantineJob, queuedRuns } from './claim';
import { onJobsChanged, type SchedulerContext } from './context';
import { consoleLogger, type EngineLogger } from './log';
import { heartbeat, recoverDeadInstances, recoverOrphans, removeHeartbeat } from './recovery';
import { noteLastRun, RunAborted } from './run';
import { Runner } from './runner';
import { forEachConcurrent, loopBackoffMs } from './timing';

export interface EngineOptions {
  ctx: SchedulerContext;
  /** Name in heartbeats and execution rows; must be unique per process. Default "<host>:<pid>:<random>". */
  instanceId?: string;
  /** Longest sleep between database reads, so other instances' edits are seen. Default 1000 ms. */
  pollMs?: number;
  /** Most due fires claimed in one transaction. Default 500. */
  batchSize?: number;
  /**
   * How far ahead fires are claimed. The database work of a fire is done up to this long before
   * it, and a local timer starts it on time. Default 50 ms, growing to twice the time a turn's
   * claims take (at most 1 s) under load; 0 claims fires only once due. (Fires claimed ahead by an
   * instance that dies are recorded as interrupted: the window is kept as short as the load allows.)
   */
  lookaheadMs?: number;
  /** Heartbeat period. Default 5000 ms; an instance is dead after 3 missed beats. */
  heartbeatMs?: number;
  /** How long stop() lets running work finish before marking it interrupted. Default 10 000 ms. */
  shutdownGraceMs?: number;
  logger?: EngineLogger;
}

/**
 * Claim transactions run side by side (SKIP LOCKED gives each a disjoint set of due jobs). The
 * pool has 10 connections; the rest record outcomes and serve the heartbeat.
 */
const CLAIM_PARALLEL = 3;
/** The lookahead grows to twice what claiming the due fires took, up to this. */
const MAX_LOOKAHEAD_MS = 1000;
/** When a batch cannot be written as a whole, its jobs are claimed one by one, this many at a time. */
const SINGLE_CLAIM_CONCURRENCY = 4;

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
  private readonly lookaheadMs: number;
  /** The lookahead in use: lookaheadMs, or more while claims take long. */
  private lookahead: number;
  private readonly heartbeatMs: number;
  private readonly shutdownGraceMs: number;
  private readonly log: EngineLogger;
  private readonly startedAt: Date;
  private state: 'idle' | 'running' | 'stopping' | 'stopped' = 'idle';
  private loopDone: Promise<void> | null = null;
  private stopPromise: Promise<void> | null = null;
  private wakeUp: (() => void) | null = null;
  private unsubscribe: (() => void) | null = null;
  private wakePending = false;
  private beatTimer: NodeJS.Timeout | null = null;
  private beating: Promise<void> | null = null;
  private failures = 0;
  private readonly runner: Runner;

  constructor(options: EngineOptions) {
    this.ctx = options.ctx;
    // Fits varchar(100) even with a long host name.
    const suffix = `${process.pid}:${randomBytes(3).toString('hex')}`;
    this.instanceId = options.instanceId?.slice(0, 100) ?? `${hostname().slice(0, 100 - suffix.length - 1)}:${suffix}`;
    this.pollMs = options.pollMs ?? 1000;
    this.batchSize = options.batchSize ?? 500;
    this.lookaheadMs = options.lookaheadMs ?? 50;
    this.lookahead = this.lookaheadMs;
    this.heartbeatMs = options.heartbeatMs ?? 5000;
    this.shutdownGraceMs = options.shutdownGraceMs ?? 10_000;
    this.log = options.logger ?? consoleLogger;
    this.startedAt = this.ctx.now();
    this.runner = new Runner(this.ctx, this.log, () => this.wake());
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
    return this.runner.size;
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
    const owned = await this.runner.drain(this.shutdownGraceMs, new RunAborted('shutdown', `Interrupted: scheduler ${this.instanceId} shut down before the run finished.`));
    try {
      await markInterrupted(this.ctx.db, owned, this.ctx.now(), `Interrupted: scheduler ${this.instanceId} shut down.`);
      await removeHeartbeat(this.ctx.db, this.instanceId);
    } catch (err) {
      this.log.warn('could not record the shutdown in the database', err);
    }
    this.state = 'stopped';
    this.runner.close();
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
    for (const q of await queuedRuns(db, this.ctx.now(), this.batchSize)) {
      if (this.state !== 'running') return 0;
      const claimed = await claimQueued(db, q, this.ctx.now(), this.instanceId);
      if (claimed?.started) this.runner.start(claimed.job, q);
      else if (claimed) await noteLastRun(db, q.jobId, q.id, claimed.status, this.ctx.now());
    }
    let deferred = Infinity;
    const claimStarted = performance.now();
    for (;;) {
      if (this.state !== 'running') return 0;
      // One read of the due jobs, split among transactions that run side by side.
      const horizon = new Date(this.ctx.now().getTime() + this.lookahead);
      const ids = await dueJobIds(db, horizon, this.batchSize * CLAIM_PARALLEL);
      const chunks = Array.from({ length: Math.ceil(ids.length / this.batchSize) }, (_, i) => ids.slice(i * this.batchSize, (i + 1) * this.batchSize));
      const batches = await Promise.all(chunks.map((chunk) => this.claimBatch(chunk, horizon)));
      for (const b of batches) deferred = Math.min(deferred, b.deferred?.getTime() ?? Infinity);
      // Done when the read was not full, or when nothing could be claimed (all locked by peers or
      // waiting for a slot: reading the same ids again would spin).
      if (ids.length < this.batchSize * CLAIM_PARALLEL || batches.every((b) => b.claimed === 0)) break;
    }
    // Claiming many fires takes a while: claim further ahead, so that they still start on time.
    const claimMs = performance.now() - claimStarted;
    this.lookahead = this.lookaheadMs ? Math.min(MAX_LOOKAHEAD_MS, Math.max(this.lookaheadMs, 2 * claimMs, this.lookahead / 2)) : 0;
    const [fire, retry] = await Promise.all([earliestFire(db), earliestQueued(db)]);
    const now = this.ctx.now().getTime();
    // Wake `lookaheadMs` before the next fire. Fires within that window left unclaimed are
    // waiting for a slot (deferred) or locked by another instance: look again at the deferred
    // one's instant, or in a moment.
    let wakeAt = fire ? fire.getTime() - this.lookahead : Infinity;
    if (wakeAt <= now) wakeAt = Number.isFinite(deferred) ? Math.max(deferred, now + 1) : now + 1;
    const untilNext = Math.min(wakeAt, retry?.getTime() ?? Infinity) - now;
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
        const orphans = await recoverOrphans(db, this.instanceId, this.runner.ids(), now, this.heartbeatMs);
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
   * Claims a batch of due fires and starts their runs; returns how many jobs it claimed. A database
   * that is down fails the turn (the loop backs off). Any other error rolls the batch back and its
   * jobs are claimed one by one instead, so a job the batch cannot write is isolated.
   */
  private async claimBatch(jobIds: string[], horizon: Date): Promise<{ claimed: number; deferred: Date | null }> {
    let batch;
    try {
      batch = await claimDueBatch(this.ctx.db, jobIds, this.ctx.now(), this.instanceId, horizon, (id) => this.runner.isFinishedHere(id));
    } catch (err) {
      if (isTransientDbError(err)) throw err;
      this.log.warn(`a batch claim failed (${coerceError(err).message}); claiming those jobs one by one`);
      await this.claimOneByOne(jobIds);
      return { claimed: jobIds.length, deferred: null };
    }
    for (const { job, reason } of batch.quarantined) this.log.error(`job "${job.id}" could not be scheduled and was paused: ${reason}`);
    this.runner.startAtInstants(
      batch.runs.map(({ job, executionId, scheduledFor }) => ({ job, run: { id: executionId, jobId: job.id, scheduledFor, attempt: 1, kind: 'scheduled' as const } })),
    );
    return batch;
  }

  /** The slow path: one claim transaction per due job. */
  private async claimOneByOne(jobIds: string[]): Promise<void> {
    const db = this.ctx.db;
    const due = await dueJobs(db, this.ctx.now(), jobIds);
    await forEachConcurrent(due, SINGLE_CLAIM_CONCURRENCY, async (job) => {
      if (this.state !== 'running') return;
      const claim = await this.claimIsolated(job);
      if (!claim) return;
      if (claim.run) {
        this.runner.start(job, { id: claim.run.executionId, jobId: job.id, scheduledFor: claim.run.scheduledFor, attempt: 1, kind: 'scheduled' });
      } else if (claim.last.status === 'missed' || claim.last.status === 'skipped') {
        await noteLastRun(db, job.id, claim.last.executionId, claim.last.status, this.ctx.now());
      }
    });
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
