// One error type for everything a user may be told about. Anything else is a 500 whose
// details go to the log only.
export type FieldErrors = Record<string, string>;

export interface AppErrorOptions {
  cause?: unknown;
  fields?: FieldErrors;
  /** seconds, sent as Retry-After (429 and 503) */
  retryAfter?: number;
}

export class AppError extends Error {
  readonly fields: FieldErrors | undefined;
  readonly retryAfter: number | undefined;

  constructor(
    readonly code: string,
    readonly status: number,
    message: string,
    options: AppErrorOptions = {},
  ) {
    super(message, { cause: options.cause });
    this.name = 'AppError';
    this.fields = options.fields;
    this.retryAfter = options.retryAfter;
  }

  /** Fastify's default handler reads statusCode; ours reads status. */
  get statusCode(): number {
    return this.status;
  }
}

export const notFound = (what = 'page'): AppError =>
  new AppError('NOT_FOUND', 404, `We could not find that ${what}.`);

export const unavailable = (what: string, retryAfter = 30, cause?: unknown): AppError =>
  new AppError('SERVICE_UNAVAILABLE', 503, `${what} is unavailable right now. Try again shortly.`, {
    retryAfter,
    cause,
  });
