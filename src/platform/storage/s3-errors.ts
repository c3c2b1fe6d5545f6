// Maps what the AWS SDK throws to the storage errors of store.ts: a missing object is a 404, a
// bad range a 416, and everything else (network, 5xx, throttling, credentials, a missing
// bucket) means the store cannot serve us right now: 503, details in the log via `cause`.
import { S3ServiceException } from '@aws-sdk/client-s3';
import { AppError } from '../errors.js';
import {
  RangeNotSatisfiableError,
  StorageNotFoundError,
  StorageUnavailableError,
} from './store.js';

const statusOf = (error: S3ServiceException): number | undefined => error.$metadata.httpStatusCode;

export function isNotFound(error: unknown): boolean {
  if (!(error instanceof S3ServiceException)) return false;
  // A missing bucket is a broken deployment, not a missing object.
  if (error.name === 'NoSuchBucket') return false;
  return error.name === 'NoSuchKey' || error.name === 'NotFound' || statusOf(error) === 404;
}

export function toStorageError(operation: string, key: string, error: unknown): Error {
  if (error instanceof AppError) return error;
  if (isNotFound(error)) return new StorageNotFoundError(key, error);
  if (
    error instanceof S3ServiceException &&
    (error.name === 'InvalidRange' || statusOf(error) === 416)
  ) {
    return new RangeNotSatisfiableError(undefined);
  }
  return new StorageUnavailableError(operation, error);
}
