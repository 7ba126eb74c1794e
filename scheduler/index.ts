import os from 'node:os';
import { connect } from '../db/client';
import { prepareDatabase } from '../db/migrate';
import { env } from '../lib/env';
import { ensureCredentials } from './auth';
import { appContext } from './context';
import { declaredJobs } from './declared';
import { syncDeclaredJobs } from './sync';
import { Engine } from './engine';
import { callingThread, lowerHelperThreads, raiseToRealTime, realTimePriorityFor } from './thread-priority';
import { guardRealTime, type RealTimeGuardEvent } from './realtime-guard';
import { consoleLogger } from './log';

/**
 * The process's scheduler: one per process, kept on globalThis so Next's separate module copies
 * and dev hot reload never start a second one.
 */
const g = globalThis as unknown as { __cronboardScheduler?: Promise<Engine | null>; __cronboardSignals?: boolean; __cronboardGuard?: { stop(): Promise<void> } };

/** Creates the database if missing, migrates it, and makes sure the dashboard has credentials (printing a generated password once). */
export async function prepare(options: { credentials?: boolean } = {}): Promise<void> {
  const e = env();
  await prepareDatabase(e.DATABASE_URL);
  if (options.credentials === false) return;
  const { generatedPassword } = await ensureCredentials(connect(e.DATABASE_URL).db, e.ADMIN_PASSWORD);
  if (generatedPassword) {
    const line = '='.repeat(64);
    console.log(`\n${line}\n Cronboard admin password (shown once, only its hash is kept):\n\n   ${generatedPassword}\n\n Set ADMIN_PASSWORD to choose your own.\n${line}\n`);
  }
}

/**
 * Prepares the database, applies the jobs declared in code, and starts the engine unless
 * SCHEDULER_ENABLED=false. A second call
 * returns the first one's promise. SIGTERM/SIGINT stop the engine gracefully, then exit.
 * `engineOnly`: this process runs nothing else on the engine's thread (npm run scheduler, not the
 * web server), which SCHEDULER_REALTIME_PRIORITY=auto asks for.
 */
export function startScheduler(options: { credentials?: boolean; exitOnSignal?: boolean; engineOnly?: boolean } = {}): Promise<Engine | null> {
  g.__cronboardScheduler ??= (async () => {
    await prepare(options);
    const report = await syncDeclaredJobs(appContext(), declaredJobs({ historyRetentionDays: env().HISTORY_RETENTION_DAYS }), consoleLogger);
    if (report.created.length || report.updated.length) {
      consoleLogger.info(`jobs declared in code: created ${report.created.length}, updated ${report.updated.length}`);
    }
    if (!env().SCHEDULER_ENABLED) {
      consoleLogger.info('SCHEDULER_ENABLED=false: this instance serves the dashboard and API only');
      return null;
    }
    const engine = new Engine({
      ctx: appContext(),
      instanceId: env().INSTANCE_NAME,
      shutdownGraceMs: env().SHUTDOWN_GRACE_MS,
      heartbeatMs: env().SCHEDULER_HEARTBEAT_MS,
    });
    // V8's compiler and garbage collector threads yield to the thread that starts the fires.
    lowerHelperThreads();
    raiseEngineThread(env().SCHEDULER_REALTIME_PRIORITY, options.engineOnly === true);
    engine.start();
    if (options.exitOnSignal !== false && !g.__cronboardSignals) {
      g.__cronboardSignals = true;
      let stopping = false;
      const onSignal = (signal: string) => {
        // The same signal often arrives twice (a Ctrl-C reaches npm, tsx and node; tsx relays it
        // too): a repeat must not fall through to Node's default of exiting at once.
        if (stopping) return consoleLogger.info(`${signal} received again: still finishing running work`);
        stopping = true;
        consoleLogger.info(`${signal} received: finishing running work (up to ${env().SHUTDOWN_GRACE_MS} ms)`);
        void engine.stop().finally(() => process.exit(0));
      };
      process.on('SIGTERM', () => onSignal('SIGTERM'));
      process.on('SIGINT', () => onSignal('SIGINT'));
    }
    return engine;
  })().catch((err) => {
    g.__cronboardScheduler = undefined;
    throw err;
  });
  return g.__cronboardScheduler;
}

/**
 * SCHEDULER_REALTIME_PRIORITY: gives the calling (engine's) thread a real-time priority, guarded
 * against starving the machine (realtime-guard.ts), or says why it could not: a warning when the
 * priority was asked for by number, a note when `auto` asked for it.
 */
function raiseEngineThread(setting: number | 'auto', engineOnly: boolean): void {
  const priority = realTimePriorityFor(setting, { engineOnly, cpus: os.availableParallelism(), platform: process.platform });
  if (priority === 0) return;
  const name = `SCHEDULER_REALTIME_PRIORITY=${setting}`;
  const failure = raiseToRealTime(priority);
  if (failure) {
    const how = `Real-time priority needs the CAP_SYS_NICE capability (docker run --cap-add SYS_NICE) or an RLIMIT_RTPRIO of at least ${priority} (systemd: LimitRTPRIO=${priority}); set SCHEDULER_REALTIME_PRIORITY=0 to not ask for it.`;
    if (setting === 'auto') return consoleLogger.info(`${name}: the engine's thread runs at normal priority (${failure}). ${how}`);
    return consoleLogger.warn(`${name}: the engine's thread keeps its normal priority (${failure}). ${how}`);
  }
  consoleLogger.info(`${name}: the engine's thread runs at real-time priority ${priority} (SCHED_FIFO)`);
  g.__cronboardGuard = guardRealTime({ tid: callingThread()!, priority, onEvent: (event) => logGuardEvent(name, event) });
}

function logGuardEvent(name: string, event: RealTimeGuardEvent): void {
  const pct = (share: number) => `${Math.round(share * 100)}%`;
  if (event.kind === 'demoted') {
    return consoleLogger.warn(
      `${name}: the engine's thread kept ${pct(event.busy)} of a CPU busy over ${event.windowMs / 1000} s (a task's own CPU work, or more fires than this machine keeps up with), ` +
        `so it runs at normal priority, not to starve the other work on its CPU, until it has used under ${pct(event.restoreBelow)} for ${event.restoreAfterMs / 1000} s`,
    );
  }
  if (event.kind === 'restored') return consoleLogger.info(`${name}: the engine's thread is calm again and back at real-time priority ${event.priority} (SCHED_FIFO)`);
  consoleLogger.warn(`${name}: the guard of the engine's real-time priority stopped (${event.message}); the thread keeps the policy it has now`);
}

/** Stops this process's engine (if any); safe to call twice. */
export async function stopScheduler(): Promise<void> {
  const engine = await g.__cronboardScheduler?.catch(() => null);
  await engine?.stop();
  await g.__cronboardGuard?.stop();
}

/** Starts the scheduler; when the database cannot be prepared, says why and exits with 1. */
export async function startOrExit(): Promise<void> {
  try {
    await startScheduler();
  } catch (err) {
    console.error('[cronboard] could not start:', err instanceof Error ? err.message : err);
    process.exit(1);
  }
}
