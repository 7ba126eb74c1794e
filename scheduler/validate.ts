import type { z } from 'zod';
import { ValidationError, type FieldErrors } from '../lib/errors';
import { fieldErrorsOf } from '../lib/schemas';
import { getTask } from './tasks';

/** Parses `input` with `schema`, or throws a ValidationError with field errors. */
export function parseInput<S extends z.ZodType>(schema: S, input: unknown, what: string): z.output<S> {
  const parsed = schema.safeParse(input);
  if (!parsed.success) {
    throw new ValidationError(`The ${what} is invalid: see the field errors.`, fieldErrorsOf(parsed.error));
  }
  return parsed.data;
}

/** Checks the task exists and `args` match its schema; returns the parsed args. */
export function validateTaskArgs(task: string, args: unknown): Record<string, unknown> {
  const def = getTask(task);
  if (!def) {
    throw new ValidationError(`Unknown task "${task}".`, {
      task: [`Unknown task "${task}". GET /api/tasks lists the tasks this server knows.`],
    });
  }
  const parsed = def.args.safeParse(args ?? {});
  if (!parsed.success) {
    const errors: FieldErrors = {};
    for (const [k, v] of Object.entries(fieldErrorsOf(parsed.error))) errors[k === '_' ? 'args' : `args.${k}`] = v;
    throw new ValidationError(`The arguments do not match task "${task}".`, errors);
  }
  // Store what was given (not the parsed output) so defaults stay the task's business.
  return (args ?? {}) as Record<string, unknown>;
}
