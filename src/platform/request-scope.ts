// The request id of the work in progress, carried through async calls (AsyncLocalStorage), so
// jobs queued while serving a request carry its id and the worker logs it: one id follows a
// change from the web request to the job that finishes it.
import { AsyncLocalStorage } from 'node:async_hooks';

const scope = new AsyncLocalStorage<{ requestId: string }>();

/** Sets the request id for the rest of the current async execution (a request's hooks). */
export function enterRequest(requestId: string): void {
  scope.enterWith({ requestId });
}

export function runWithRequestId<T>(requestId: string, work: () => T): T {
  return scope.run({ requestId }, work);
}

export function currentRequestId(): string | undefined {
  return scope.getStore()?.requestId;
}
