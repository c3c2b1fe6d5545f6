// OpenAPI descriptions of the tus endpoints. The bodies are raw bytes
// (application/offset+octet-stream) and the answers tus headers, as tus 1.0 specifies.
import type { ApiOperation } from '../../platform/http/openapi.js';

const refusals = {
  401: 'NOT_SIGNED_IN or INVALID_TOKEN',
  403: 'NOT_A_CREATOR, INSUFFICIENT_SCOPE, CSRF_TOKEN_INVALID or CROSS_SITE_REQUEST',
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
      ...refusals,
      404: 'NOT_FOUND: no such item of yours',
      413: 'FILE_TOO_LARGE or STORAGE_FULL (JSON error), or over 20 GB',
      422: 'VALIDATION_FAILED or LENGTH_REQUIRED',
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
      ...refusals,
      404: 'NOT_FOUND: no such upload of yours',
      409: 'offset mismatch: HEAD for the offset, then resume',
      410: 'expired (unfinished uploads live 24 hours)',
    },
  },
  {
    method: 'delete',
    path: '/uploads/{id}',
    summary: 'tus termination: drop an unfinished upload and its bytes',
    tag: 'uploads',
    auth: 'write',
    responses: { 204: 'deleted', ...refusals, 404: 'NOT_FOUND', 400: 'already finished' },
  },
];
