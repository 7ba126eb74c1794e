import { z } from 'zod';
import { isValidTimeZone } from './time';

/** Parses a boolean env var: true/false/1/0/yes/no (case-insensitive). */
const boolish = z
  .string()
  .trim()
  .toLowerCase()
  .refine((v) => ['true', 'false', '1', '0', 'yes', 'no'].includes(v), {
    message: 'must be true or false',
  })
  .transform((v) => v === 'true' || v === '1' || v === 'yes');

const REALTIME_PRIORITY = 'must be auto, 0 (off) or a whole number from 1 to 99';

const envSchema = z.object({
  /** MySQL connection URL. The database is created when missing. */
  DATABASE_URL: z
    .string()
    .default('mysql://root@127.0.0.1:3306/cronboard')
    .refine((v) => /^mysql:\/\/[^/]+\/[A-Za-z0-9_$]+(\?.*)?$/.test(v), {
      message: 'must look like mysql://user:password@host:3306/database',
    }),
  /** HTTP port of the dashboard. */
  PORT: z.coerce.number().int().min(1).max(65535).default(3000),
  /** Dashboard password. When unset, the first start generates one, prints it once and keeps a hash. */
  ADMIN_PASSWORD: z.string().min(8, 'must be at least 8 characters').optional(),
  /** Comma-separated bearer tokens accepted by the API. */
  API_TOKENS: z
    .string()
    .default('')
    .transform((v) =>
      v
        .split(',')
        .map((t) => t.trim())
        .filter(Boolean),
    ),
  /**
   * true marks the session cookie Secure (sent over HTTPS only). Set it when the dashboard is
   * served over HTTPS; off by default so plain-HTTP local use works.
   */
  COOKIE_SECURE: boolish.default(false),
  /** false makes a web-only instance that never runs jobs. */
  SCHEDULER_ENABLED: boolish.default(true),
  /**
   * 1-99 runs the engine's thread at that real-time priority (SCHED_FIFO, scheduler/thread-priority.ts),
   * so that a busy machine does not delay its fires; 0 leaves it at normal priority; auto, the
   * default, asks for priority 1 in an engine-only process (npm run scheduler) on two CPUs or more,
   * and keeps normal priority where that is not permitted.
   */
  SCHEDULER_REALTIME_PRIORITY: z
    .string()
    .trim()
    .toLowerCase()
    .default('auto')
    // Set but empty (SCHEDULER_REALTIME_PRIORITY= in an env file) reads as unset.
    .transform((v) => v || 'auto')
    .pipe(
      z.union([
        z.literal('auto'),
        z.coerce
          .number<string>({ message: REALTIME_PRIORITY })
          .int({ message: REALTIME_PRIORITY })
          .min(0, { message: REALTIME_PRIORITY })
          .max(99, { message: REALTIME_PRIORITY }),
      ], { message: REALTIME_PRIORITY }),
    ),
  /** Default IANA time zone of new jobs. */
  SCHEDULER_TIMEZONE: z
    .string()
    .default('UTC')
    .refine(isValidTimeZone, { message: 'must be an IANA time zone such as Europe/Berlin' }),
  /** Days of execution history the built-in retention job keeps. */
  HISTORY_RETENTION_DAYS: z.coerce.number().int().min(1).default(30),
  /** Name of this instance in heartbeats and execution rows; unique per process (default host:pid:random). */
  INSTANCE_NAME: z.string().max(100).optional(),
  /** Heartbeat period of the engine; an instance is dead after 3 missed beats. */
  SCHEDULER_HEARTBEAT_MS: z.coerce.number().int().min(200).max(60_000).default(5000),
  /** Milliseconds running work may take to finish after SIGTERM before it is marked interrupted. */
  SHUTDOWN_GRACE_MS: z.coerce.number().int().min(0).max(3_600_000).default(10_000),
});

export type Env = z.output<typeof envSchema>;

let cached: Env | undefined;

/** Parses process.env once; throws an Error naming every bad variable and how to fix it. */
export function env(): Env {
  if (cached) return cached;
  const parsed = envSchema.safeParse(process.env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`);
    throw new Error(`Cronboard configuration error:\n${lines.join('\n')}\nFix the environment variables above and start again.`);
  }
  cached = parsed.data;
  return cached;
}

/** Forgets the parsed env (tests that change process.env). */
export function resetEnv(): void {
  cached = undefined;
}
