/**
 * The one error vocabulary of Intake. Services throw these; `http/error-handler.ts` is the only
 * place that turns them into statuses and bodies. Anything else thrown is a bug (500, logged).
 */
export type FieldErrors = Record<string, string[]>;

export abstract class AppError extends Error {
  abstract readonly status: number;

  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** 422: one or more fields are wrong. The message is the first field message, Laravel-style. */
export class ValidationError extends AppError {
  readonly status = 422;
  constructor(readonly errors: FieldErrors) {
    const messages = Object.values(errors).flat();
    const first = messages[0] ?? 'The given data was invalid.';
    const more = messages.length - 1;
    super(more > 0 ? `${first} (and ${more} more error${more === 1 ? '' : 's'})` : first);
  }

  toBody(): { message: string; errors: FieldErrors } {
    return { message: this.message, errors: this.errors };
  }

  static field(field: string, message: string): ValidationError {
    return new ValidationError({ [field]: [message] });
  }
}

export class UnauthenticatedError extends AppError {
  readonly status = 401;
  constructor() {
    super('Unauthenticated.');
  }
}

export class ForbiddenError extends AppError {
  readonly status = 403;
}

export class NotFoundError extends AppError {
  readonly status = 404;
  constructor() {
    super('Not found.');
  }
}

export class ConflictError extends AppError {
  readonly status = 409;
}

export class UnsupportedMediaTypeError extends AppError {
  readonly status = 415;
}

export class TooManyRequestsError extends AppError {
  readonly status = 429;
  constructor(readonly retryAfterSeconds: number) {
    super('Too Many Attempts.');
  }
}

/** 503: a dependency (database, storage) cannot be reached. */
export class UnavailableError extends AppError {
  readonly status = 503;
  constructor(readonly dependency: 'database' | 'storage', options?: { cause?: unknown }) {
    super('Service temporarily unavailable.', options);
  }
}

/** Errors raised by the CLI for a user's mistake: printed without a stack, exit code 1. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

/** Human size for messages: "500 MB", "1.5 GB", "300 KB". */
export function formatBytes(bytes: number): string {
  const units = ['bytes', 'KB', 'MB', 'GB', 'TB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit += 1;
  }
  const rounded = Math.round(value * 10) / 10;
  return `${rounded} ${units[unit]}`;
}
