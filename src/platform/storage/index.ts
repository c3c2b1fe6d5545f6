// The storage module's public face: pick the driver from the config, and the types and errors
// the rest of the app uses. Only this folder talks to the filesystem store or S3.
import path from 'node:path';
import type { Config } from '../../config.js';
import { FsObjectStore } from './fs-store.js';
import { S3ObjectStore } from './s3-store.js';
import { CircuitBreakerStore, type CircuitBreakerOptions } from './circuit-breaker.js';

/** The configured driver behind a circuit breaker (see circuit-breaker.ts). */
export function createObjectStore(
  config: Readonly<Config>,
  options: CircuitBreakerOptions = {},
): CircuitBreakerStore {
  const driver =
    config.s3 !== undefined
      ? new S3ObjectStore({ config: config.s3 })
      : new FsObjectStore({
          root: path.join(config.dataDir, 'objects'),
          secret: config.appSecret,
          publicUrl: config.publicUrl,
        });
  return new CircuitBreakerStore(driver, options);
}

export {
  DEFAULT_CONTENT_TYPE,
  InvalidStorageKeyError,
  MAX_SIGNED_URL_SECONDS,
  RangeNotSatisfiableError,
  SignedUrlExpiredError,
  SignedUrlInvalidError,
  StorageKeyConflictError,
  StorageNotFoundError,
  StorageUnavailableError,
  type ByteRange,
  type GetResult,
  type ObjectInfo,
  type ObjectStore,
  type SignedUrl,
  type SignedUrlOptions,
} from './store.js';
export {
  CircuitBreakerStore,
  type CircuitBreakerOptions,
  type CircuitState,
} from './circuit-breaker.js';
export { assertValidKey, assertValidPrefix, isValidKey, MAX_KEY_BYTES } from './object-key.js';
export { contentDisposition, sanitizeFilename } from './content-disposition.js';
export { fsStorageRoutes, type FsStorageRoutesOptions } from './fs-storage.routes.js';
export { FsObjectStore, type FsObjectStoreOptions } from './fs-store.js';
export { S3ObjectStore, type S3ObjectStoreOptions } from './s3-store.js';
