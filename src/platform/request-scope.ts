// The request id of the work in progress, carried through async calls (AsyncLocalStorage), so
// jobs queued while serving a request carry its id and the worker logs it: one id follows a
// change from the web request to the job that finishes it.
// The same scope says whether the request's reads may come from the read replica
// (db/read-replica.ts): only an anonymous read of a public page says so
// (platform/http/replica-reads.ts), and the first write the request makes takes it back.
import { AsyncLocalStorage } from 'node:async_hooks';

interface RequestScope {
  requestId: string;
  /** SELECTs outside a transaction may go to the read replica */
  replicaReads: boolean;
}

const scope = new AsyncLocalStorage<RequestScope>();

/** Sets the request id for the rest of the current async execution (a request's hooks). */
export function enterRequest(requestId: string): void {
  scope.enterWith({ requestId, replicaReads: false });
}

export function runWithRequestId<T>(requestId: string, work: () => T): T {
  return scope.run({ requestId, replicaReads: false }, work);
}

export function currentRequestId(): string | undefined {
  return scope.getStore()?.requestId;
}

/** The current request may read from the replica (an anonymous read of a public page). */
export function allowReplicaReads(): void {
  const store = scope.getStore();
  if (store) store.replicaReads = true;
}

/** From here on the current request reads from the primary (it wrote: read-your-writes). */
export function denyReplicaReads(): void {
  const store = scope.getStore();
  if (store) store.replicaReads = false;
}

export function replicaReadsAllowed(): boolean {
  return scope.getStore()?.replicaReads === true;
}
