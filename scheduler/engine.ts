import { hostname } from 'node:os';
import { randomBytes } from 'node:crypto';
import { coerceError } from '../lib/errors';
import { dbErrorCode, isTransientDbError } from '../db/client';
import { claimDueBatch, dueJobIds } from './batch-claim';
import { JobDefinitions } from './job-definitions';
import { claimQueued, dueJobs, earliestFire, earliestQueued, markInterrupted, quarantineJob, queuedRuns, skipRecordedFire } from './claim';
import { onJobsChanged, type SchedulerContext } from './context';
import { consoleLogger, type EngineLogger } from './log';
import { heartbeat, recoverDeadInstances, recoverOrphans, removeHeartbeat } from './recovery';
import { RunAborted } from './run';
import { BusyTracker } from './quiet';
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
   * it, and a local timer starts it on time. Default DEFAULT_LOOKAHEAD_MS (200 ms), growing to
   * twice the time a turn's claims take (at most 1 s) under load and shrinking back by a tenth a
   * turn; 0 claims fires only once due. (Fires claimed ahead by an instance that dies are
   * recorded as interrupted: the window is kept short.)
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
/**
 * The lookahead at rest: long enough that a claim meeting a database stall of a moment still ends
 * before its instant (with 50 ms, traced claims ended up to 287 ms late; README, change 8). The
 * cost: an instance that dies leaves the fires claimed this far ahead interrupted, and an edit made
 * within it applies from the next fire.
 */
export const DEFAULT_LOOKAHEAD_MS = 200;
/** The lookahead grows to twice what claiming the due fires took, up to this. */
const MAX_LOOKAHEAD_MS = 1000;
/**
 * …and shrinks back by this factor a turn. Slowly: a database that was slow to claim once (a
 * retention run deleting beside the engine, say) is likely to be slow again in the next seconds,
 * and a fire claimed too late starts late.
 */
const LOOKAHEAD_DECAY = 0.9;
/** When a batch cannot be written as a whole, its jobs are claimed one at a time, this many side by side. */
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
  /** The jobs' definitions as last read by this engine's claims. */
  private readonly definitions = new JobDefinitions();
  /** Claim turns and fire starts, for tasks that wait for a quiet moment. */
  private readonly busy: BusyTracker;

  constructor(options: EngineOptions) {
    this.ctx = options.ctx;
    // Fits varchar(100) even with a long host name.
    const suffix = `${process.pid}:${randomBytes(3).toString('hex')}`;
    this.instanceId = options.instanceId?.slice(0, 100) ?? `${hostname().slice(0, 100 - suffix.length - 1)}:${suffix}`;
    this.pollMs = options.pollMs ?? 1000;
    this.batchSize = options.batchSize ?? 500;
    this.lookaheadMs = options.lookaheadMs ?? DEFAULT_LOOKAHEAD_MS;
    this.lookahead = this.lookaheadMs;
    this.heartbeatMs = options.heartbeatMs ?? 5000;
    this.shutdownGraceMs = options.shutdownGraceMs ?? 10_000;
    this.log = options.logger ?? consoleLogger;
    this.startedAt = this.ctx.now();
    this.busy = new BusyTracker(() => this.ctx.now().getTime());
    this.runner = new Runner(this.ctx, this.log, () => this.wake(), this.busy);
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
    this.busy.close();
    if (this.beatTimer) clearInterval(this.beatTimer);
    await this.beating;
    const owned = await this.runner.drain(this.shutdownGraceMs, new RunAborted('shutdown', `Interrupted: scheduler ${this.instanceId} shut down before the run finished.`));
    try {
      await markInterrupted(this.ctx.db, owned, this.ctx.now(), `Interrupted: scheduler ${this.instanceId} shut down.`, this.runner.leasedIds);
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
      this.busy.turnStarted();
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
      this.busy.turnEnded(this.ctx.now().getTime() + waitMs);
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
    this.lookahead = this.lookaheadMs ? Math.min(MAX_LOOKAHEAD_MS, Math.max(this.lookaheadMs, 2 * claimMs, this.lookahead * LOOKAHEAD_DECAY)) : 0;
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
   * Claims a batch of due fires and starts their runs. A database that is down fails the turn (the
   * loop backs off). Any other error rolls the batch back; its jobs are then claimed one at a
   * time, so the one the batch could not write is found and dealt with alone (isolateJob).
   */
  private async claimBatch(jobIds: string[], horizon: Date): Promise<{ claimed: number; deferred: Date | null }> {
    let batch;
    try {
      batch = await claimDueBatch(this.ctx.db, jobIds, this.ctx.now(), this.instanceId, {
        horizon,
        finishedHere: (ids) => this.runner.finishedHere(ids),
        leases: this.runner.leases,
        definitions: this.definitions,
      });
    } catch (err) {
      if (isTransientDbError(err)) throw err;
      if (jobIds.length === 1) return { claimed: await this.isolateJob(jobIds[0], horizon, err), deferred: null };
      this.log.warn(`a batch claim failed (${coerceError(err).message}); claiming those jobs one at a time`);
      const results: Array<{ claimed: number; deferred: Date | null }> = [];
      await forEachConcurrent(jobIds, SINGLE_CLAIM_CONCURRENCY, async (id) => {
        if (this.state === 'running') results.push(await this.claimBatch([id], horizon));
      });
      const deferred = Math.min(...results.map((r) => r.deferred?.getTime() ?? Infinity));
      return { claimed: results.reduce((n, r) => n + r.claimed, 0), deferred: Number.isFinite(deferred) ? new Date(deferred) : null };
    }
    for (const { job, reason } of batch.quarantined) this.log.error(`job "${job.id}" could not be scheduled and was paused: ${reason}`);
    this.runner.startAtInstants(
      batch.runs.map(({ job, executionId, scheduledFor, leased }) => ({ job, run: { id: executionId, jobId: job.id, scheduledFor, attempt: 1, kind: 'scheduled' as const }, leased })),
    );
    return batch;
  }

  /**
   * A job (due by `horizon`) whose claim fails on its own, for a reason other than the database being down. When
   * its due fire has a row already (only an edit or a clock race can do this), the job is moved
   * past it: never run a fire twice. Anything else is about this job: it is paused with a failed
   * row saying why, so one bad job never stalls the others. Returns 1 when the job was dealt with.
   */
  private async isolateJob(jobId: string, horizon: Date, err: unknown): Promise<number> {
    const now = this.ctx.now();
    const [job] = await dueJobs(this.ctx.db, horizon, [jobId]);
    if (!job) return 0;
    if (dbErrorCode(err) === 'ER_DUP_ENTRY') {
      // A fire claimed ahead is judged as of its own instant, as the batch claim does.
      return (await skipRecordedFire(this.ctx.db, job, job.nextRunAt! > now ? job.nextRunAt! : now)) ? 1 : 0;
    }
    const reason = coerceError(err).message;
    this.log.error(`job "${job.id}" could not be scheduled and was paused: ${reason}`, err);
    return (await quarantineJob(this.ctx.db, job, now, this.instanceId, reason)) === null ? 0 : 1;
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
