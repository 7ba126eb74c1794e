/**
 * Opening a gate on time: its timer fires a little before the instant, and the last stretch is
 * waited out by watching the clock.
 *
 * Why: a timer can fire late by a scheduler tick however free the thread is. Traced in `npm run
 * bench:interference` on a virtual machine (2026-12-08), with the engine's thread at real-time
 * priority: eight of eleven late seconds were a gate whose timer, set 130-280 ms ahead, fired
 * 3-4 ms after the instant, alone as often as under load (the host wakes an idle virtual CPU for
 * its timer when it gets to it). A thread that is already running when the instant comes does
 * not wait for that.
 *
 * The cost is the CPU of the wait, up to WAKE_EARLY_MS per instant, so it is capped at
 * SPIN_BUDGET_MS of every second: jobs whose instants are spread over the second (interval jobs
 * keep the milliseconds of their start) wait for their timers as before once it is spent.
 */

/** How long before an instant its gate's timer fires. */
export const WAKE_EARLY_MS = 5;
/** The most time spent watching the clock in any second (5 % of a CPU). */
export const SPIN_BUDGET_MS = 50;

export class EarlyWake {
  private windowStart = -Infinity;
  private spent = 0;

  constructor(
    /** A monotonic clock in ms; bounds the wait even when the engine's clock is not real. */
    private readonly realNow: () => number = () => performance.now(),
  ) {}

  /**
   * Waits, busy, until `clock()` reaches `at`, when that is at most WAKE_EARLY_MS away and the
   * second's budget allows; whether it waited (false: set a timer instead). Never waits longer
   * than the distance to `at` (plus a millisecond) by the real clock.
   */
  spinUntil(clock: () => number, at: number): boolean {
    const start = this.realNow();
    if (start - this.windowStart >= 1000) {
      this.windowStart = start;
      this.spent = 0;
    }
    const ms = at - clock();
    if (ms > WAKE_EARLY_MS || this.spent + ms > SPIN_BUDGET_MS) return false;
    const deadline = start + ms + 1;
    while (clock() < at && this.realNow() < deadline) {
      // the instant is a few milliseconds away
    }
    this.spent += this.realNow() - start;
    return true;
  }
}
