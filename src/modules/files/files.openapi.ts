// OpenAPI descriptions of the files endpoints.
import { z } from 'zod';
import type { ApiOperation } from '../../platform/http/openapi.js';
import { fileJsonSchema } from './files.api.js';

const fileResponse = z.object({ file: fileJsonSchema });
const signed = z.object({ url: z.string(), expires_at: z.string() });

export const filesOperations: ApiOperation[] = [
  {
    method: 'post',
    path: '/items/{id}/files',
    summary:
      'Upload a small file as multipart/form-data (field `file`, at most 1 GB and your plan’s ' +
      'per-file limit; use tus at /uploads for big files or flaky connections); processing starts',
    tag: 'files',
    auth: 'write',
    responses: {
      202: { description: 'the file, pending processing', schema: fileResponse },
      401: 'NOT_SIGNED_IN',
      403: 'NOT_A_CREATOR, INSUFFICIENT_SCOPE or CSRF_TOKEN_INVALID',
      404: 'NOT_FOUND: no such item of yours',
      413: 'FILE_TOO_LARGE or STORAGE_FULL',
      415: 'UNSUPPORTED_MEDIA_TYPE',
      422: 'VALIDATION_FAILED',
    },
  },
  {
    method: 'get',
    path: '/files/{id}',
    summary:
      'One of your files: status, kind, sniffed type, size, SHA-256, duration, and why it failed',
    tag: 'files',
    auth: 'user',
    responses: { 200: { description: 'the file', schema: fileResponse }, 404: 'NOT_FOUND' },
  },
  {
    method: 'get',
    path: '/items/{id}/stream',
    summary:
      'A signed URL (5 minutes) to play the item: the full stream for its creator, free items, ' +
      'buyers and members; otherwise the preview clip (preview: true)',
    tag: 'files',
    auth: 'none',
    responses: {
      200: {
        description: 'where to stream from',
        schema: signed.extend({ preview: z.boolean() }),
      },
      403: 'PURCHASE_REQUIRED: no preview to offer',
      404: 'NOT_FOUND or NOT_PLAYABLE',
      503: 'STORAGE_UNAVAILABLE',
    },
  },
  {
    method: 'get',
    path: '/files/{id}/download',
    summary: 'A signed URL (5 minutes) that downloads the original as an attachment',
    tag: 'files',
    auth: 'none',
    responses: {
      200: { description: 'where to download from', schema: signed },
      404: 'NOT_FOUND: no such file, or not yours to download (bought, joined, free or your own)',
      409: 'FILE_NOT_READY',
      503: 'STORAGE_UNAVAILABLE',
    },
  },
  {
    method: 'get',
    path: '/me/files/events',
    summary:
      'Server-Sent Events: `event: file` with {id, item_id, status, error} whenever one of your ' +
      'files changes state, from whichever instance processed it',
    tag: 'files',
    auth: 'user',
    responses: { 200: 'text/event-stream', 401: 'NOT_SIGNED_IN' },
  },
];
