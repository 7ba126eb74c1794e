import { setMaxListeners } from 'node:events';
import type { JobRow } from '../db/schema';
import { queueRetry, type QueuedRun } from './claim';
import type { SchedulerContext } from './context';
import type { EngineLogger } from './log';
import { BusyTracker } from './quiet';
import { Recorder } from './recorder';
import { prepareRun, RunAborted, settleRun, startRun, type PreparedRun, type StartedRun } from './run';
import { LeaseBook } from './slots';
import { retryDelayMs, settleWithin } from './timing';
import { BurstRoom } from './young-gc';
import { EarlyWake, WAKE_EARLY_MS } from './on-time';
import { StartCosts } from './start-cost';

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

/**
 * A gate with up to START_AT_ONCE runs starts them all at once; a bigger one starts START_SLICE
 * at a time, giving the event loop a turn in between: the claims of the next fires and the
 * outcome writes go on meanwhile, and the runs' state dies young (a second of 10,000 fires
 * started at once outlived V8's young generation and was promoted, and the old generation filled
 * and was collected every second).
 */
const START_AT_ONCE = 2048;
const START_SLICE = 256;

/**
 * An instant whose first fires are claimed at least this long before it (and before any other
 * instant's) is prepared for: V8's young generation is scavenged then unless it has room for the
 * burst of starting them (young-gc.ts).
 */
const PREPARE_MS = 40;

/** A settled promise, the placeholder of a run's `done` while it is listed. */
const DONE = Promise.resolve();

/** A run whose task has been called: its own controller and timer (a job with a timeout). */
interface Launched {
  controller: AbortController | null;
  timer: NodeJS.Timeout | null;
  startedAt: Date;
  started: StartedRun;
}

/** A run claimed ahead, waiting for its instant. */
interface Waiting {
  job: JobRow;
  run: QueuedRun;
  /** The run holds its job's lease (slots.ts). */
  leased?: boolean;
  /** Its task and arguments, validated once claimed (startAtInstants). */
  prepared?: PreparedRun;
}

/**
 * Fires claimed ahead that start at one instant share a timer (a gate), and wait there as plain
 * data: a busy engine holds up to a second of fires claimed ahead, and a run's promises and task
 * state only exist once it starts.
 */
interface Gate {
  at: number;
  timer: NodeJS.Timeout | undefined;
  runs: Waiting[];
  /** Index in `runs` of the next run to start (the gate opens a slice at a time). */
  next: number;
  /** Its runs are of more than one task: they start quickest first (start-cost.ts). */
  mixed: boolean;
  opening: boolean;
  /** Resolves once the gate has opened (its runs started, or given up on at shutdown). */
  opened: Promise<void>;
  /** Opens now if its instant has come, else sets its timer. */
  arm: () => void;
  open: () => void;
}

export class Runner {
  private readonly running = new Map<number, Running>();
  /** Gates whose runs have not all started yet, by instant. */
  private readonly gates = new Map<number, Gate>();
  /** Runs waiting at a gate. */
  private waiting = 0;
  /**
   * Aborted at shutdown once the grace period is over: the signal of every run without a timeout
   * (one AbortController per run costs more than many small tasks do).
   */
  private readonly shutdownSignal = new AbortController();
  /** Set at shutdown once the grace period is over: claimed runs that have not started never will. */
  private abandonPending = false;
  private readonly abandoned: number[] = [];
  private readonly recorder: Recorder;
  /** The leases of the runs claimed here: which are still in progress. */
  private readonly leaseBook = new LeaseBook();
  /** What this engine knows of a job's lease, for its claims. */
  readonly leases = (jobId: string, at: number) => this.leaseBook.state(jobId, at);
  /**
   * The executions owned here that hold their job's lease. Shutdown interrupts them knowing
   * which they are: a run over here, its outcome not yet written, may have let a claim take a
   * new lease, so its row no longer tells.
   */
  readonly leasedIds = new Set<number>();
  /** Room in V8's young generation for the burst of an instant's fires. */
  private readonly room = new BurstRoom();
  /** Gates open on time: their timers fire early, the last milliseconds are watched (on-time.ts). */
  private readonly wake = new EarlyWake();
  /** What calling each task costs: an instant's quickest tasks are called first (start-cost.ts). */
  private readonly costs = new StartCosts();
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
    // A run leaves the list once its outcome is written: its row is no longer ours to recover.
    this.recorder = new Recorder(ctx.db, log, (executionId) => {
      this.running.delete(executionId);
      this.leasedIds.delete(executionId);
    });
    setMaxListeners(0, this.shutdownSignal.signal);
  }

  /** Number of runs claimed here and not yet recorded. */
  get size(): number {
    return this.running.size + this.waiting + this.abandoned.length;
  }

  /** Ids of the executions this process owns (claimed and not yet recorded). */
  ids(): number[] {
    const ids = [...this.running.keys(), ...this.abandoned];
    for (const gate of this.gates.values()) for (let i = gate.next; i < gate.runs.length; i++) ids.push(gate.runs[i].run.id);
    return ids;
  }

  /** The runs of these jobs that are over here, their outcome on its way to the database. */
  finishedHere(jobIds: string[]): number[] {
    return this.recorder.pendingOf(jobIds);
  }

  /** Starts runs claimed in one batch, each at its scheduled instant (one timer per instant). */
  startAtInstants(runs: Waiting[]): void {
    const added: Gate[] = [];
    for (const waiting of runs) {
      const at = waiting.run.scheduledFor.getTime();
      if (waiting.leased) {
        this.leaseBook.started(waiting.job.id, at);
        this.leasedIds.add(waiting.run.id);
      }
      waiting.prepared = prepareRun(waiting.job);
      let gate = this.gates.get(at);
      if (!gate) added.push((gate = this.gate(at)));
      if (gate.runs.length > 0 && gate.runs[0].job.task !== waiting.job.task) gate.mixed = true;
      gate.runs.push(waiting);
      this.waiting++;
    }
    // A gate whose instant has come opens now, its runs with it.
    for (const gate of added) gate.arm();
    // Room in V8's young generation for the burst of starting them, made while there is time:
    // once an instant, when its first runs are claimed and it is the next to come.
    if (added.length > 0) {
      let soonest = Infinity;
      for (const at of this.gates.keys()) soonest = Math.min(soonest, at);
      if (added.some((gate) => gate.at === soonest) && soonest - this.ctx.now().getTime() > PREPARE_MS) this.room.prepare(soonest);
    }
  }

  /**
   * Starts a run now (a run-now request or a retry: its task and arguments are checked as it
   * starts, and it holds no lease) in the background, records its outcome and queues a retry
   * when the job asks.
   */
  start(job: JobRow, run: QueuedRun): void {
    this.track(job, run, false, this.launch(job, run));
  }

  /**
   * Calls the run's task: the part of a start that cannot wait (see the gate's `step`). Null if
   * that failed unexpectedly (startRun itself never throws): the other fires still start.
   */
  private launch(job: JobRow, run: QueuedRun, prepared?: PreparedRun): Launched | null {
    let timer: NodeJS.Timeout | null = null;
    try {
      const timeoutMs = job.options.timeoutMs;
      // A job with a timeout gets its own controller; the others share the shutdown signal.
      const controller = timeoutMs ? new AbortController() : null;
      if (controller) timer = setTimeout(() => controller.abort(new RunAborted('timeout', `Timed out after ${timeoutMs} ms.`)), timeoutMs!);
      const startedAt = this.ctx.now();
      const execution = { id: run.id, scheduledFor: run.scheduledFor, attempt: run.attempt, startedAt };
      const started = startRun(this.ctx.db, job, execution, controller?.signal ?? this.shutdownSignal.signal, this.ctx.now, this.quiet, prepared);
      if (!started.refused) this.costs.note(job.task, performance.now() - started.started);
      return { controller, timer, startedAt, started };
    } catch (err) {
      if (timer) clearTimeout(timer);
      this.log.error(`run of execution ${run.id} could not start`, err);
      return null;
    }
  }

  /**
   * Lists a launched run as running here and has its outcome recorded. Called in the same turn
   * as launch(): a run that ended at once is listed before its outcome can take it off the list.
   */
  private track(job: JobRow, run: QueuedRun, leased: boolean, launched: Launched | null): void {
    if (!launched) return this.leaveToRecovery(job, run, leased);
    const entry: Running = { controller: launched.controller, done: DONE };
    this.running.set(run.id, entry);
    entry.done = this.settleAndRecord(job, run, leased, launched);
  }

  /**
   * Shutdown, first part: lets the runs finish within `graceMs`, then gives up on the claimed runs
   * that have not started, aborts the others and gives them 2 s to end. Returns the ids still
   * owned (the engine marks them interrupted, then calls close()).
   */
  async drain(graceMs: number, reason: RunAborted): Promise<number[]> {
    // Runs waiting at a gate start at their instant within the grace period too: wait for them.
    const fromGates = [...this.gates.values()].map((g) => g.opened.then(() => Promise.all(g.runs.map((w) => this.running.get(w.run.id)?.done))));
    await settleWithin([...[...this.running.values()].map((r) => r.done), ...fromGates], graceMs);
    const left = [...this.running.values()];
    this.abandonPending = true;
    for (const gate of [...this.gates.values()]) gate.open();
    this.shutdownSignal.abort(reason);
    for (const r of left) r.controller?.abort(reason);
    await settleWithin(left.map((r) => r.done), 2000);
    return this.ids();
  }

  /** Shutdown, last part: the runs given up on leave the list; writes that fail are no longer retried. */
  close(): void {
    this.abandoned.length = 0;
    this.leasedIds.clear();
    this.recorder.close();
  }

  /**
   * A gate for the runs of instant `at` (armed once they are in): it opens once the clock reaches
   * `at`, or when shutdown gives up on the runs waiting there. Its timer fires WAKE_EARLY_MS
   * early and the rest is waited out on the clock, within a budget (on-time.ts). A timer can
   * also fire a millisecond early by the wall clock, so it waits again (a few times at most: an
   * injected clock may never get there).
   */
  private gate(at: number): Gate {
    let opened!: () => void;
    let waits = 0;
    const gate: Gate = {
      at,
      timer: undefined,
      runs: [],
      next: 0,
      mixed: false,
      opening: false,
      opened: new Promise<void>((resolve) => (opened = resolve)),
      arm: () => {
        const ms = at - this.ctx.now().getTime();
        if (ms <= 0 || waits++ >= 5) gate.open();
        else if (ms > WAKE_EARLY_MS) gate.timer = setTimeout(gate.arm, ms - WAKE_EARLY_MS);
        else if (this.wake.spinUntil(() => this.ctx.now().getTime(), at)) gate.open();
        else gate.timer = setTimeout(gate.arm, ms);
      },
      open: () => {
        if (gate.opening) return;
        gate.opening = true;
        clearTimeout(gate.timer);
        if (gate.mixed) gate.runs = this.costs.order(gate.runs, (w) => w.job.task);
        const step = () => {
          const slice = this.abandonPending || gate.runs.length <= START_AT_ONCE ? gate.runs.length : START_SLICE;
          const end = Math.min(gate.runs.length, gate.next + slice);
          // The slice's tasks are called first, one after another, and listed and given to the
          // recorder after: what a fire's start costs is what the fires after it wait for (an
          // instant's burst of CPU that outlasts the kernel's time slice may also lose the CPU for
          // a scheduler tick, 4 ms here, when another process waits for it).
          const from = gate.next;
          const launched = this.abandonPending ? [] : gate.runs.slice(from, end).map((w) => this.launch(w.job, w.run, w.prepared));
          for (; gate.next < end; gate.next++) {
            const { job, run, leased } = gate.runs[gate.next];
            this.waiting--;
            // Given up on at shutdown: the run stays listed until shutdown has marked its row interrupted.
            if (this.abandonPending) this.abandoned.push(run.id);
            else this.track(job, run, leased ?? false, launched[gate.next - from]);
          }
          if (gate.next < gate.runs.length) {
            setImmediate(step);
            return;
          }
          this.gates.delete(at);
          this.room.started(at);
          opened();
        };
        step();
      },
    };
    this.gates.set(at, gate);
    this.busy.startsAt(at, gate.opened);
    return gate;
  }

  /**
   * Waits for a launched run's outcome, records it and queues a retry when the job asks; never
   * throws. Once the task is over this returns the recorder's promise instead of waiting for it,
   * so the run's own state is freed while its outcome waits its turn (the recorder takes it off
   * the list).
   */
  private async settleAndRecord(job: JobRow, run: QueuedRun, leased: boolean, { timer, startedAt, started }: Launched): Promise<void> {
    let recorded: Promise<void>;
    try {
      const outcome = await settleRun(started);
      // Its outcome is known: the job's slot is free for this engine's next claim.
      if (leased) this.leaseBook.finished(job.id, run.scheduledFor.getTime());
      recorded = this.recorder.record({ jobId: job.id, executionId: run.id, startedAt, outcome, leased });
      const retries = job.options.retries;
      if (retries && run.attempt <= retries.max && (outcome.status === 'failed' || outcome.status === 'timed_out')) {
        return recorded.then(() => this.retry(run, retries.backoffMs));
      }
    } catch (err) {
      this.log.error(`run of execution ${run.id} failed unexpectedly`, err);
      return this.leaveToRecovery(job, run, leased);
    } finally {
      if (timer) clearTimeout(timer);
    }
    return recorded;
  }

  /** A run that failed unexpectedly: no longer ours here, its row left to recovery (recoverOrphans), its slot free. */
  private leaveToRecovery(job: JobRow, run: QueuedRun, leased: boolean): void {
    if (leased) this.leaseBook.finished(job.id, run.scheduledFor.getTime());
    this.running.delete(run.id);
    this.leasedIds.delete(run.id);
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
