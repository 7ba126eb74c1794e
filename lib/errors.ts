/** Field errors keyed by dotted path ("trigger.expression", "args.url"). */
export type FieldErrors = Record<string, string[]>;

/** Base of the errors the domain throws on purpose; anything else is a bug (a 500). */
export class DomainError extends Error {
  constructor(
    message: string,
    readonly status: number,
    readonly title: string,
  ) {
    super(message);
    this.name = new.target.name;
  }
}

/** Input that does not satisfy its schema. Nothing was written. */
export class ValidationError extends DomainError {
  constructor(
    message: string,
    readonly fieldErrors: FieldErrors = {},
  ) {
    super(message, 400, 'Invalid input');
  }
}

export class NotFoundError extends DomainError {
  constructor(message: string) {
    super(message, 404, 'Not found');
  }
}

/** The id exists already, or the row changed since the caller read it (stale version). */
export class ConflictError extends DomainError {
  constructor(message: string) {
    super(message, 409, 'Conflict');
  }
}

export class UnauthorizedError extends DomainError {
  constructor(message = 'Sign in, or send "Authorization: Bearer <token>" with a token from API_TOKENS.') {
    super(message, 401, 'Unauthorized');
  }
}

/** Turns anything thrown into an Error, keeping the stack when there is one. */
export function coerceError(thrown: unknown): Error {
  if (thrown instanceof Error) return thrown;
  if (typeof thrown === 'string') return new Error(thrown);
  try {
    return new Error(`Non-error thrown: ${JSON.stringify(thrown)}`);
  } catch {
    return new Error(`Non-error thrown: ${String(thrown)}`);
  }
}
