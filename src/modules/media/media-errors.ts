// The outcomes of processing a file that are final: retrying cannot change them, so the job
// records them and stops. The message is shown to the creator as it is.
export type RefusalStatus = 'failed' | 'quarantined';

export class FileRefusal extends Error {
  constructor(
    readonly status: RefusalStatus,
    message: string,
    options: { cause?: unknown } = {},
  ) {
    super(message, options);
    this.name = 'FileRefusal';
  }
}

/** The file is unusable (empty, damaged, incomplete): the creator should upload it again. */
export const fileFailed = (message: string, cause?: unknown): FileRefusal =>
  new FileRefusal('failed', message, { cause });

/** The file is not what it claims to be, or is dangerous to unpack: it is not delivered. */
export const fileQuarantined = (message: string, cause?: unknown): FileRefusal =>
  new FileRefusal('quarantined', message, { cause });
