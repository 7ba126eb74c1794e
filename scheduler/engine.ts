import { setMaxListeners } from 'node:events';
import { hostname } from 'node:os';
import { randomBytes } from 'node:crypto';
import type { JobRow } from '../db/schema';
import { coerceError } from '../lib/errors';
import { dbErrorCode, isTransientDbError } from '../db/client';
import { claimDueBatch, dueJobIds } from './batch-claim';
import { claimFire, claimQueued, dueJobs, earliestFire, earliestQueued, markInterrupted, quarantineJob, queueRetry, queuedRuns, type QueuedRun } from './claim';
import { onJobsChanged, type SchedulerContext } from './context';
import { consoleLogger, type EngineLogger } from './log';
import { heartbeat, recoverDeadInstances, recoverOrphans, removeHeartbeat } from './recovery';
import { Recorder } from './recorder';
import { RunAborted, noteLastRun, runTask } from './run';
import { forEachConcurrent, loopBackoffMs, retryDelayMs, settleWithin } from './timing';

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

interface Running {
  /** The run's own controller, for a job with a timeout (others share the engine's shutdown signal). */
  controller: AbortController | null;
  done: Promise<void>;
}

/** Fires claimed ahead that start at one instant share a timer (a gate). */
interface Gate {
  timer: NodeJS.Timeout | undefined;
  open: () => void;
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
  private readonly lookaheadMs: number;
  /** The lookahead in use: lookaheadMs, or more while claims take long. */
  private lookahead: number;
  private readonly heartbeatMs: number;
  private readonly shutdownGraceMs: number;
  private readonly log: EngineLogger;
  private readonly startedAt: Date;
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
  private state: 'idle' | 'running' | 'stopping' | 'stopped' = 'idle';
  private loopDone: Promise<void> | null = null;
  private stopPromise: Promise<void> | null = null;
  private wakeUp: (() => void) | null = null;
  private unsubscribe: (() => void) | null = null;
  private wakePending = false;
  private beatTimer: NodeJS.Timeout | null = null;
  private beating: Promise<void> | null = null;
  private failures = 0;
  private readonly recorder: Recorder;

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
    this.recorder = new Recorder(this.ctx.db, this.log);
    setMaxListeners(0, this.shutdownSignal.signal);
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
    this.abandonPending = true;
    for (const gate of [...this.gates]) gate.open();
    const reason = new RunAborted('shutdown', `Interrupted: scheduler ${this.instanceId} shut down before the run finished.`);
    this.shutdownSignal.abort(reason);
    for (const r of left) r.controller?.abort(reason);
    await settleWithin(left.map((r) => r.done), 2000);
    try {
      await markInterrupted(this.ctx.db, [...this.running.keys()], this.ctx.now(), `Interrupted: scheduler ${this.instanceId} shut down.`);
      await removeHeartbeat(this.ctx.db, this.instanceId);
    } catch (err) {
      this.log.warn('could not record the shutdown in the database', err);
    }
    for (const id of this.abandoned) this.running.delete(id);
    this.state = 'stopped';
    this.recorder.close();
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
      if (claimed?.started) this.execute(claimed.job, q);
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
   * Claims a batch of due fires and starts their runs; returns how many jobs it claimed. A database
   * that is down fails the turn (the loop backs off). Any other error rolls the batch back and its
   * jobs are claimed one by one instead, so a job the batch cannot write is isolated.
   */
  private async claimBatch(jobIds: string[], horizon: Date): Promise<{ claimed: number; deferred: Date | null }> {
    let batch;
    try {
      batch = await claimDueBatch(this.ctx.db, jobIds, this.ctx.now(), this.instanceId, horizon, (id) => this.recorder.isPending(id));
    } catch (err) {
      if (isTransientDbError(err)) throw err;
      this.log.warn(`a batch claim failed (${coerceError(err).message}); claiming those jobs one by one`);
      await this.claimOneByOne(jobIds);
      return { claimed: jobIds.length, deferred: null };
    }
    for (const { job, reason } of batch.quarantined) this.log.error(`job "${job.id}" could not be scheduled and was paused: ${reason}`);
    const byInstant = new Map<number, Promise<void>>();
    for (const run of batch.runs) {
      const at = run.scheduledFor.getTime();
      let ready = byInstant.get(at);
      if (!ready) byInstant.set(at, (ready = this.gate(at)));
      this.execute(run.job, { id: run.executionId, jobId: run.job.id, scheduledFor: run.scheduledFor, attempt: 1, kind: 'scheduled' }, ready);
    }
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
        this.execute(job, { id: claim.run.executionId, jobId: job.id, scheduledFor: claim.run.scheduledFor, attempt: 1, kind: 'scheduled' });
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

  /**
   * Resolves once the clock reaches `at` (at once when it has), or when shutdown gives up on the
   * runs waiting for it. A timer can fire a millisecond early by the wall clock, so it waits again
   * (a few times at most: an injected clock may never get there).
   */
  private gate(at: number): Promise<void> {
    return new Promise((resolve) => {
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
  }

  /**
   * Starts a run in the background once `ready` resolves (a fire claimed ahead, at its instant),
   * records its outcome and queues a retry when the job asks.
   */
  private execute(job: JobRow, run: QueuedRun, ready: Promise<void> = Promise.resolve()): void {
    const entry: Running = { controller: null, done: Promise.resolve() };
    entry.done = this.runWhenReady(job, run, entry, ready);
    this.running.set(run.id, entry);
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
      const outcome = await runTask(this.ctx.db, job, { id: run.id, scheduledFor: run.scheduledFor, attempt: run.attempt, startedAt }, signal, this.ctx.now);
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
      if (await queueRetry(this.ctx.db, run, new Date(this.ctx.now().getTime() + delay))) this.wake();
    } catch (err) {
      this.log.error(`could not queue attempt ${run.attempt + 1} of execution ${run.id}`, err);
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
