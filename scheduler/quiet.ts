/**
 * When the engine is busy, for background work that can wait a little (history retention).
 *
 * An engine is busy in short, predictable bursts: a claim turn (the database work of the fires
 * due soon, done ahead of them) and the instants its claimed fires start at. Cron and interval
 * jobs fire together on whole seconds and minutes, so these bursts are where start lateness comes
 * from when something else loads the database and the CPU at the same moment. A task that asks
 * `quiet(ms)` before each slice of its work waits those bursts out and runs in between.
 */

/**
 * At most this many fire starts, and this many claim turns (several run around one burst of
 * fires), are waited out per call: dense fires never starve the caller.
 */
const MAX_START_WAITS = 3;
const MAX_TURN_WAITS = 10;

interface Waiter {
  resolve: () => void;
}

export class BusyTracker {
  private turning = false;
  /** When the loop wakes for its next turn (epoch ms; Infinity: not planned). */
  private nextTurnAt = Infinity;
  /** Callers waiting for the end of the current or next turn. */
  private afterTurn: Waiter[] = [];
  /** Instants at which claimed fires start, with a promise of each start. */
  private readonly starts = new Map<number, Promise<void>>();
  private closed = false;

  constructor(private readonly now: () => number) {}

  /** The loop starts a turn. */
  turnStarted(): void {
    this.turning = true;
  }

  /** The loop ended a turn and will start the next one at `nextAt` (epoch ms) unless woken earlier. */
  turnEnded(nextAt: number): void {
    this.turning = false;
    this.nextTurnAt = nextAt;
    this.release();
  }

  /** Fires claimed ahead start at `at`; `started` resolves once they have. */
  startsAt(at: number, started: Promise<void>): void {
    if (this.starts.has(at)) return;
    this.starts.set(at, started);
    void started.finally(() => {
      if (this.starts.get(at) === started) this.starts.delete(at);
    });
  }

  /** The engine stopped: nothing is busy any more, and no waiter waits. */
  close(): void {
    this.closed = true;
    this.release();
  }

  /**
   * Resolves when no burst begins within `ms`: first waits out claim turns in progress or due
   * within `ms`, and fires that start within `ms`, a few of each at most (so dense fires delay the
   * caller by a few short waits, never for good). At once outside an engine and after it stopped.
   */
  async quiet(ms: number): Promise<void> {
    let turns = 0;
    let starts = 0;
    while (!this.closed && turns < MAX_TURN_WAITS && starts < MAX_START_WAITS) {
      const horizon = this.now() + ms;
      if (this.turning || this.nextTurnAt <= horizon) {
        turns++;
        await new Promise<void>((resolve) => this.afterTurn.push({ resolve }));
        continue;
      }
      const soonest = Math.min(...[...this.starts.keys()].filter((at) => at <= horizon));
      if (!Number.isFinite(soonest)) return;
      starts++;
      await this.starts.get(soonest);
    }
  }

  private release(): void {
    const waiting = this.afterTurn;
    this.afterTurn = [];
    for (const w of waiting) w.resolve();
  }
}
