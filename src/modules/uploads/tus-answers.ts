// tus's answers in our terms. Its refusals become AppErrors, so the one error handler answers
// them in API.md's JSON error envelope ({"error": {"code", "message"}}) with a stable code, logs
// 5xx with the request id and maps PostgreSQL's refusals; its success headers pass on without
// the CORS headers tus adds by itself (`Access-Control-Allow-Origin: *` when no origins are
// configured): no cross-origin use of the API is configured anywhere.
import { ERRORS } from '@tus/server';
import type { FastifyReply } from 'fastify';
import { formatBytes } from '../../platform/bytes.js';
import { AppError } from '../../platform/errors.js';
import { MAX_FILE_BYTES } from './tier-limits.js';

interface TusRefusal {
  status_code: number;
  body: string;
}

const refusal = (code: string, status: number, message: string, retryAfter?: number) =>
  new AppError(code, status, message, retryAfter === undefined ? {} : { retryAfter });

const AGAIN = 'HEAD for the offset, then resume.';

/**
 * tus's own refusals (thrown by it or by our store and locker). Statuses are tus's, except its
 * 403s, which are no authorisation matter (400 and 415), and a lock wait that timed out (503).
 */
const KNOWN = new Map<TusRefusal, () => AppError>([
  [ERRORS.MISSING_OFFSET, () => refusal('UPLOAD_OFFSET_REQUIRED', 400, `Send Upload-Offset: ${AGAIN}`)], // prettier-ignore
  [ERRORS.ABORTED, () => refusal('UPLOAD_TAKEN_OVER', 400, `A newer request for this upload took over: ${AGAIN}`)], // prettier-ignore
  [ERRORS.INVALID_TERMINATION, () => refusal('UPLOAD_FINISHED', 400, 'This upload is finished; its file stays.')], // prettier-ignore
  [ERRORS.ERR_LOCK_TIMEOUT, () => refusal('UPLOAD_BUSY', 503, 'Another request holds this upload. Try again shortly.', 5)], // prettier-ignore
  [ERRORS.INVALID_CONTENT_TYPE, () => refusal('UNSUPPORTED_MEDIA_TYPE', 415, 'Send the bytes as application/offset+octet-stream.')], // prettier-ignore
  [ERRORS.FILE_NOT_FOUND, () => refusal('NOT_FOUND', 404, 'We could not find that upload.')],
  [ERRORS.INVALID_OFFSET, () => refusal('UPLOAD_OFFSET_CONFLICT', 409, `Upload-Offset is not where this upload stands: ${AGAIN}`)], // prettier-ignore
  [ERRORS.FILE_NO_LONGER_EXISTS, () => refusal('UPLOAD_EXPIRED', 410, 'This upload has expired: start it again.')], // prettier-ignore
  [ERRORS.ERR_SIZE_EXCEEDED, () => refusal('UPLOAD_TOO_LONG', 413, 'More bytes came than Upload-Length announced.')], // prettier-ignore
  [ERRORS.ERR_MAX_SIZE_EXCEEDED, () => refusal('FILE_TOO_LARGE', 413, `Files can be up to ${formatBytes(MAX_FILE_BYTES)}.`)], // prettier-ignore
  [ERRORS.INVALID_LENGTH, () => refusal('LENGTH_REQUIRED', 400, 'Send Upload-Length: the size is checked first.')], // prettier-ignore
  [ERRORS.INVALID_METADATA, () => refusal('INVALID_UPLOAD_METADATA', 400, 'Send Upload-Metadata as comma-separated "key base64value" pairs: item_id and filename.')], // prettier-ignore
  [ERRORS.UNSUPPORTED_CONCATENATION_EXTENSION, () => refusal('TUS_EXTENSION_UNSUPPORTED', 501, 'Concatenation is not supported: send one upload at a time.')], // prettier-ignore
  [ERRORS.UNSUPPORTED_CREATION_DEFER_LENGTH_EXTENSION, () => refusal('TUS_EXTENSION_UNSUPPORTED', 501, 'Deferred lengths are not supported: send Upload-Length.')], // prettier-ignore
]);

function isTusRefusal(error: unknown): error is TusRefusal {
  return typeof error === 'object' && error !== null && 'status_code' in error && 'body' in error;
}

/**
 * What to throw for a tus answer that is not a success. `cause` is what tus caught, if it caught
 * anything: our AppErrors and unknown errors (a database refusing a value, a bug) go on as they
 * are; tus's refusals are translated. Answers tus wrote without catching (a missing
 * Tus-Resumable, invalid tus headers) are recognised by their status.
 */
export async function tusFailure(answer: Response, cause: unknown): Promise<unknown> {
  if (cause instanceof Error) return cause;
  if (isTusRefusal(cause)) {
    const known = KNOWN.get(cause);
    return known ? known() : new Error(`tus refused: ${cause.status_code} ${cause.body.trim()}`);
  }
  const text = (await answer.text()).trim();
  if (answer.status === 412) {
    return refusal('TUS_RESUMABLE_REQUIRED', 412, 'Send Tus-Resumable: 1.0.0.');
  }
  if (answer.status === 400 && text.startsWith('Invalid ')) {
    const names = text.slice('Invalid '.length).split(' ').join(', ');
    return refusal('INVALID_TUS_HEADER', 400, `These tus headers are not valid: ${names}.`);
  }
  if (answer.status === 404) return refusal('NOT_FOUND', 404, 'We could not find that upload.');
  return new Error(`tus answered ${answer.status}: ${text.slice(0, 200)}`);
}

/** Headers of tus's answer that go on to the client: not its CORS ones, not its body's framing. */
export function copyTusHeaders(answer: Response, reply: FastifyReply): void {
  for (const [name, value] of answer.headers) {
    if (name.startsWith('access-control-')) continue;
    if (name === 'content-length' || name === 'content-type') continue;
    reply.header(name, value);
  }
}
