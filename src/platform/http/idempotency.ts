// Idempotency-Key on every POST under /api/v1 (API.md, "Writes that can be retried"; why it is
// built this way: docs/decisions.md). A request with a key runs in ONE PostgreSQL transaction
// together with its key row: the transactions its handler opens become savepoints in it
// (db/pinned-connection.ts), its 2xx answer is sealed into the row, and COMMIT happens before
// the answer leaves. A retry with the same key waits on the first request's uncommitted row,
// then replays the stored answer; if the first request died (a killed instance), nothing of it
// exists and the retry runs. Other answers are not kept: the row is deleted and the transaction
// still commits, so what a failed request must leave behind (a failed-login count) stays.
import { createHash, timingSafeEqual, type Hash } from 'node:crypto';
import { pipeline, Transform, type Readable } from 'node:stream';
import type {
  FastifyInstance,
  FastifyReply,
  FastifyRequest,
  RouteHandlerMethod,
  RouteOptions,
} from 'fastify';
import fp from 'fastify-plugin';
import type { Db } from '../../db/database.js';
import { openPinnedTransaction, type PinnedTransaction } from '../../db/pinned-connection.js';
import { AppError } from '../errors.js';
import {
  claimKey,
  deleteKey,
  findKey,
  storeAnswer,
  type StoredKey,
} from './idempotency.repository.js';
import { createAnswerSealer, type StoredAnswer } from './idempotency.sealing.js';

export const IDEMPOTENCY_KEY_HEADER = 'idempotency-key';
export const REPLAYED_HEADER = 'idempotent-replayed';
const API_PREFIX = '/api/v1/';
/** 1 to 255 visible ASCII characters */
const VALID_KEY = /^[\x21-\x7e]{1,255}$/;
/** what an answer says that is worth saying again; the rest each answer sets anew */
const KEPT_HEADERS = ['content-type', 'location', 'set-cookie', 'cache-control'] as const;

interface KeyedRequest {
  key: string;
  hash: Hash;
  bodyRead: boolean;
  /** reading: before the claim; running: the handler may run; settled: nothing left to do */
  phase: 'reading' | 'running' | 'settled';
  pinned?: PinnedTransaction;
  rowId?: string;
  /** the answer's bytes before compression; 'stream' when it cannot be stored */
  body?: Buffer | 'stream';
  /** while the (async) handler runs */
  handling?: boolean;
}

declare module 'fastify' {
  interface FastifyRequest {
    /** set when a POST under /api/v1 carries an Idempotency-Key */
    idempotency: KeyedRequest | undefined;
  }
}

const unsupported = (message: string) => new AppError('IDEMPOTENCY_KEY_UNSUPPORTED', 400, message);

/** Fastify's own rule: without a length or chunked encoding there is no body to read. */
function hasBody(request: FastifyRequest): boolean {
  const length = request.headers['content-length'];
  return (
    request.headers['transfer-encoding'] !== undefined || (length !== undefined && length !== '0')
  );
}

/** preParsing: checks the key and hashes the body's bytes as Fastify reads them. */
async function readKey(request: FastifyRequest, _reply: FastifyReply, payload: Readable) {
  const key = request.headers[IDEMPOTENCY_KEY_HEADER];
  if (key === undefined || request.method !== 'POST') return payload;
  if (typeof key !== 'string' || !VALID_KEY.test(key)) {
    throw new AppError(
      'INVALID_IDEMPOTENCY_KEY',
      400,
      'Idempotency-Key must be 1 to 255 visible ASCII characters.',
    );
  }
  if (/^multipart\//i.test(request.headers['content-type'] ?? '')) {
    throw unsupported(
      'File uploads do not take an Idempotency-Key: send them without one, or resumably ' +
        'through /api/v1/uploads (tus).',
    );
  }
  if (request.headers['tus-resumable'] !== undefined) {
    throw unsupported('tus requests are resumable by themselves: send them without one.');
  }
  const state: KeyedRequest = {
    key,
    hash: createHash('sha256').update(`${request.method} ${request.url}\n`),
    bodyRead: !hasBody(request),
    phase: 'reading',
  };
  request.idempotency = state;
  if (state.bodyRead) return payload;
  const tap = new Transform({
    transform(chunk: Buffer, _encoding, next) {
      state.hash.update(chunk);
      next(null, chunk);
    },
    flush(next) {
      state.bodyRead = true;
      next();
    },
  });
  // an error or early end of the request reaches the body parser through the tap
  pipeline(payload, tap, () => undefined);
  return tap;
}

function storable(payload: unknown): Buffer | 'stream' {
  if (payload === undefined || payload === null) return Buffer.alloc(0);
  if (typeof payload === 'string') return Buffer.from(payload);
  if (Buffer.isBuffer(payload)) return payload;
  return 'stream';
}

function keptHeaders(reply: FastifyReply): StoredAnswer['headers'] {
  const headers: StoredAnswer['headers'] = {};
  for (const name of KEPT_HEADERS) {
    const value = reply.getHeader(name);
    if (typeof value === 'string') headers[name] = value;
    else if (Array.isArray(value)) headers[name] = value.map(String);
    else if (typeof value === 'number') headers[name] = String(value);
  }
  return headers;
}

const asArray = <T>(hooks: T | T[] | undefined): T[] =>
  hooks === undefined ? [] : Array.isArray(hooks) ? hooks : [hooks];

async function idempotencyPlugin(app: FastifyInstance, opts: { db: Db; appSecret: string }) {
  const { db } = opts;
  const sealer = createAnswerSealer(opts.appSecret);
  app.decorateRequest('idempotency', undefined);

  /** preHandler, after authentication: claim the key, or replay what it answered. */
  async function claim(request: FastifyRequest, reply: FastifyReply) {
    const state = request.idempotency;
    if (state === undefined) return;
    if (!state.bodyRead) {
      throw unsupported('This request streams its body: send it without an Idempotency-Key.');
    }
    const caller = request.principal?.user.id ?? `anon:${request.ip}`;
    const requestHash = state.hash.digest();
    const pinned = await openPinnedTransaction(db);
    let stored: StoredKey | undefined;
    try {
      // twice at most: a live row found gone by the time it is read was just cleaned up
      for (let attempt = 1; stored === undefined; attempt++) {
        const rowId = await claimKey(pinned, db, { caller, key: state.key, requestHash });
        if (rowId !== undefined) {
          Object.assign(state, { pinned, rowId, phase: 'running' });
          return;
        }
        stored = await findKey(pinned, db, caller, state.key);
        if (attempt === 2 && stored === undefined) throw new Error('an idempotency key flickered');
      }
      await pinned.rollback();
    } catch (error) {
      if (pinned.open) await pinned.rollback().catch(() => undefined);
      throw error;
    }
    state.phase = 'settled';
    if (stored.answer === null) throw new Error('an idempotency key was stored without its answer');
    const sameRequest =
      stored.request_hash.length === requestHash.length &&
      timingSafeEqual(stored.request_hash, requestHash);
    if (!sameRequest) {
      throw new AppError(
        'IDEMPOTENCY_KEY_REUSED',
        422,
        'This Idempotency-Key was used for a different request.',
      );
    }
    const answer = sealer.open(stored.answer, stored.id);
    reply.code(answer.status).headers(answer.headers).header(REPLAYED_HEADER, 'true');
    return reply.send(Buffer.from(answer.body, 'base64'));
  }

  /** The handler runs inside the pinned transaction. */
  function pinHandler(handler: RouteHandlerMethod): RouteHandlerMethod {
    return function (this: FastifyInstance, request, reply) {
      const pinned = request.idempotency?.pinned;
      if (pinned === undefined) return handler.call(this, request, reply);
      return pinned.run(() => {
        const result = handler.call(this, request, reply);
        if (!(result instanceof Promise)) return result;
        const state = request.idempotency;
        if (state) state.handling = true;
        return result.finally(() => {
          if (state) state.handling = false;
          return closeUnanswered(request, reply);
        });
      });
    };
  }

  /**
   * A handler that answered around Fastify (hijack: SSE, tus) cannot have its answer stored:
   * its effects commit and the key stays free, so a retry runs again.
   */
  async function closeUnanswered(request: FastifyRequest, reply: FastifyReply) {
    const state = request.idempotency;
    if (state?.phase !== 'running' || !reply.sent) return;
    request.log.warn('a request with an Idempotency-Key answered around Fastify: not stored');
    await settle(request, state, false);
  }

  /** Ends the transaction: with the answer stored, or with the key row gone. */
  async function settle(
    request: FastifyRequest,
    state: KeyedRequest,
    answer: StoredAnswer | false,
  ) {
    const { pinned, rowId } = state;
    state.phase = 'settled';
    state.pinned = undefined;
    if (pinned === undefined || rowId === undefined) return;
    try {
      if (answer) await storeAnswer(pinned, db, rowId, sealer.seal(answer, rowId));
      else await deleteKey(pinned, db, rowId);
      await pinned.commit();
    } catch (error) {
      if (pinned.open) await pinned.rollback().catch(() => undefined);
      throw error;
    }
  }

  /**
   * onSend, the route's own (after the app's onSend hooks: cookies are written), ahead of
   * compression's (its onRoute hook runs after this plugin's): store the answer's own bytes,
   * commit, then answer. Only the keyed routes carry it: other requests pay nothing.
   */
  async function commitAnswer(request: FastifyRequest, reply: FastifyReply, payload: unknown) {
    const state = request.idempotency;
    if (state?.phase !== 'running') return payload;
    state.body = storable(payload);
    const status = reply.statusCode;
    const succeeded = status >= 200 && status < 300;
    if (succeeded && Buffer.isBuffer(state.body)) {
      const body = state.body.toString('base64');
      // a failed COMMIT must not leave as a success: it becomes this request's error
      await settle(request, state, { status, headers: keptHeaders(reply), body });
      return payload;
    }
    try {
      await settle(request, state, false);
    } catch (error) {
      // what a failed request did is lost with its transaction; its answer still goes out
      request.log.error({ err: error }, 'could not commit a refused request with a key');
      if (succeeded) throw error;
    }
    return payload;
  }

  /**
   * onResponse: should an answer leave without passing commitAnswer (an error in another
   * onSend hook), nothing stays open. A handler still running after its answer left (it
   * answered around Fastify) is closed by closeUnanswered instead.
   */
  async function releaseForgotten(request: FastifyRequest) {
    const state = request.idempotency;
    const pinned = state?.pinned;
    if (state?.phase !== 'running' || state.handling || pinned === undefined) return;
    state.phase = 'settled';
    state.pinned = undefined;
    request.log.error('a request with an Idempotency-Key ended without settling: rolled back');
    await pinned.rollback().catch(() => undefined);
  }

  app.addHook('onRoute', (route: RouteOptions) => {
    const methods = asArray(route.method);
    if (!methods.includes('POST') || !route.url.startsWith(API_PREFIX)) return;
    route.preParsing = [...asArray(route.preParsing), readKey];
    route.preHandler = [...asArray(route.preHandler), claim];
    route.onSend = [...asArray(route.onSend), commitAnswer];
    route.onResponse = [...asArray(route.onResponse), releaseForgotten];
    route.handler = pinHandler(route.handler);
  });
}

/**
 * Register before compression (its onSend hook must see the answer's own bytes) and before the
 * API routes (it adds its hooks to each POST route under /api/v1 as it is registered).
 */
export default fp(idempotencyPlugin, { name: 'idempotency' });
