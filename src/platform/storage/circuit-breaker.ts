// A circuit breaker in front of the object store, so an unreachable store costs nothing once
// we know: after `failureThreshold` unavailability errors in a row the circuit opens and every
// call fails at once with 503 + Retry-After for `openMs`; then one call probes, and success
// closes it. Pages never wait on a dead store; playback and downloads answer 503 immediately;
// jobs fail fast and are retried by the queue later. Only "unavailable" errors count: a
// missing object is an answer, not a failure.
import type { Readable } from 'node:stream';
import {
  RangeNotSatisfiableError,
  StorageNotFoundError,
  StorageUnavailableError,
  type ByteRange,
  type GetResult,
  type ObjectInfo,
  type ObjectStore,
  type SignedUrl,
  type SignedUrlOptions,
} from './store.js';

export interface CircuitBreakerOptions {
  failureThreshold?: number;
  openMs?: number;
  now?: () => number;
  /** told about every state change, for logs and metrics */
  onStateChange?: (state: CircuitState) => void;
  /** told about every failed call (any error but a missing object or a bad range) */
  onError?: (operation: string, error: unknown) => void;
}

export type CircuitState = 'closed' | 'open' | 'half-open';

export class CircuitBreakerStore implements ObjectStore {
  readonly driver: ObjectStore['driver'];
  private failures = 0;
  private openUntil = 0;
  private probing = false;
  private current: CircuitState = 'closed';
  private readonly failureThreshold: number;
  private readonly openMs: number;
  private readonly now: () => number;

  constructor(
    readonly inner: ObjectStore,
    private readonly options: CircuitBreakerOptions = {},
  ) {
    this.driver = inner.driver;
    this.failureThreshold = options.failureThreshold ?? 3;
    this.openMs = options.openMs ?? 15_000;
    this.now = options.now ?? Date.now;
  }

  get state(): CircuitState {
    return this.current;
  }

  private setState(state: CircuitState) {
    if (state === this.current) return;
    this.current = state;
    this.options.onStateChange?.(state);
  }

  /** Throws at once while open; lets exactly one probe through once the open time is over. */
  private admit(operation: string): { probe: boolean } {
    if (this.current === 'closed') return { probe: false };
    const retryAfter = Math.max(1, Math.ceil((this.openUntil - this.now()) / 1000));
    if (this.now() < this.openUntil || this.probing) {
      throw new StorageUnavailableError(operation, undefined, retryAfter);
    }
    this.probing = true;
    this.setState('half-open');
    return { probe: true };
  }

  private succeeded(probe: boolean) {
    if (probe) this.probing = false;
    this.failures = 0;
    this.setState('closed');
  }

  private failed(probe: boolean, error: unknown, operation: string) {
    if (probe) this.probing = false;
    if (!(error instanceof StorageNotFoundError || error instanceof RangeNotSatisfiableError)) {
      this.options.onError?.(operation, error);
    }
    if (!(error instanceof StorageUnavailableError)) {
      if (probe) this.succeeded(false); // the store answered, even if with an error
      return;
    }
    this.failures++;
    if (probe || this.failures >= this.failureThreshold) {
      this.openUntil = this.now() + this.openMs;
      this.setState('open');
    }
  }

  private async guard<T>(operation: string, work: () => Promise<T>): Promise<T> {
    const { probe } = this.admit(operation);
    try {
      const result = await work();
      this.succeeded(probe);
      return result;
    } catch (error) {
      this.failed(probe, error, operation);
      throw error;
    }
  }

  put(key: string, body: Readable | Buffer, options?: { contentType?: string }) {
    return this.guard('put', () => this.inner.put(key, body, options));
  }

  get(key: string, range?: ByteRange): Promise<GetResult> {
    return this.guard('get', () => this.inner.get(key, range));
  }

  head(key: string): Promise<ObjectInfo | undefined> {
    return this.guard('head', () => this.inner.head(key));
  }

  delete(key: string): Promise<void> {
    return this.guard('delete', () => this.inner.delete(key));
  }

  async *list(prefix: string): AsyncIterable<ObjectInfo> {
    const { probe } = this.admit('list');
    try {
      for await (const info of this.inner.list(prefix)) yield info;
      this.succeeded(probe);
    } catch (error) {
      this.failed(probe, error, 'list');
      throw error;
    }
  }

  /** Signing needs no network, but a URL into a dead store is no use: 503 while open. */
  async signedUrl(key: string, options: SignedUrlOptions): Promise<SignedUrl> {
    this.admitWithoutProbe('signedUrl');
    return this.inner.signedUrl(key, options);
  }

  check(): Promise<void> {
    return this.guard('check', () => this.inner.check());
  }

  private admitWithoutProbe(operation: string) {
    if (this.current !== 'closed' && (this.now() < this.openUntil || this.probing)) {
      const retryAfter = Math.max(1, Math.ceil((this.openUntil - this.now()) / 1000));
      throw new StorageUnavailableError(operation, undefined, retryAfter);
    }
  }
}
