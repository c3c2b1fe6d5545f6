// OpenAPI descriptions of the tus endpoints. The bodies are raw bytes
// (application/offset+octet-stream) and the answers tus headers, as tus 1.0 specifies; every
// answer has Tus-Resumable, and refusals are JSON errors (uploads/tus-answers.ts).
import type { ApiOperation } from '../../platform/http/openapi.js';

const refusals = {
  401: 'NOT_SIGNED_IN or INVALID_TOKEN',
  403: 'NOT_A_CREATOR, INSUFFICIENT_SCOPE, CSRF_TOKEN_INVALID or CROSS_SITE_REQUEST',
  412: 'TUS_RESUMABLE_REQUIRED: send Tus-Resumable: 1.0.0',
};

export const uploadsOperations: ApiOperation[] = [
  {
    method: 'post',
    path: '/uploads',
    summary:
      'tus creation (and creation-with-upload): headers Tus-Resumable: 1.0.0, Upload-Length, ' +
      'Upload-Metadata with item_id and filename (filetype optional); the size is checked ' +
      "against the creator's tier before any byte is stored",
    tag: 'uploads',
    auth: 'write',
    responses: {
      201: 'created: Location is the upload URL; Upload-Offset when bytes came along',
      400:
        'INVALID_TUS_HEADER, LENGTH_REQUIRED (no Upload-Length), INVALID_UPLOAD_METADATA, or ' +
        'INVALID_TEXT (a metadata value with a NUL character)',
      ...refusals,
      404: 'NOT_FOUND: no such item of yours',
      413: 'FILE_TOO_LARGE (over your plan or over 20 GB) or STORAGE_FULL',
      422: 'VALIDATION_FAILED (no filename)',
    },
  },
  {
    method: 'patch',
    path: '/uploads/{id}',
    summary:
      'tus PATCH: Upload-Offset must equal the stored offset (HEAD tells it); the body is the ' +
      'next bytes. The last one answers Upload-File-Id: the file now processing',
    tag: 'uploads',
    auth: 'write',
    responses: {
      204: 'stored: Upload-Offset is the new offset',
      400: 'UPLOAD_OFFSET_REQUIRED, INVALID_TUS_HEADER or UPLOAD_TAKEN_OVER (a newer request took over: HEAD, then resume)', // prettier-ignore
      ...refusals,
      404: 'NOT_FOUND: no such upload of yours',
      409: 'UPLOAD_OFFSET_CONFLICT: HEAD for the offset, then resume',
      410: 'UPLOAD_EXPIRED (unfinished uploads live 24 hours)',
      413: 'UPLOAD_TOO_LONG: more bytes than Upload-Length',
      415: 'UNSUPPORTED_MEDIA_TYPE: send application/offset+octet-stream',
      503: 'UPLOAD_BUSY: another request holds the upload; retry after Retry-After',
    },
  },
  {
    method: 'delete',
    path: '/uploads/{id}',
    summary: 'tus termination: drop an unfinished upload and its bytes',
    tag: 'uploads',
    auth: 'write',
    responses: { 204: 'deleted', ...refusals, 404: 'NOT_FOUND', 400: 'UPLOAD_FINISHED' },
  },
];
