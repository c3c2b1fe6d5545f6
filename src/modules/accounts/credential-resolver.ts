import type { Config } from '../../config.js';
import type { Db } from '../../db/database.js';
import type { CredentialResolver } from '../../platform/http/auth.js';
import { resolveApiToken } from './api-tokens.service.js';
import { sessionCookieName } from './session-cookie.js';
import { resolveSession } from './sessions.service.js';

export function createCredentialResolver(db: Db, config: Readonly<Config>): CredentialResolver {
  return {
    sessionCookieName: sessionCookieName(config),
    fromBearer: (token) => resolveApiToken(db, token),
    fromSession: (token, request) => resolveSession(db, token, request.ip || null),
  };
}
