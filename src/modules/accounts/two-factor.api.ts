// Second factors in the API (under /api/v1): passkeys (passkeys.api.ts) and the second step of
// a password sign-in for accounts with TOTP. Documented in passkeys.openapi.ts.
import type { FastifyInstance } from 'fastify';
import type { AccountsRouteOptions } from './accounts.api.js';
import { LIMITS } from './accounts.rate-limits.js';
import { publicUser } from './accounts.service.js';
import { passkeysApi } from './passkeys.api.js';
import { secondFactorBody } from './passkeys.schemas.js';
import { requestMeta } from './security-log.js';
import { ensureDeviceId, setSessionCookie } from './session-cookie.js';
import { completeSecondFactor } from './totp.sign-in.js';

export { twoFactorOperations } from './passkeys.openapi.js';

export async function twoFactorApi(
  app: FastifyInstance,
  opts: AccountsRouteOptions,
): Promise<void> {
  const { deps, limiter } = opts;

  // POST /auth/login answered 202 with a pending_token; this finishes that sign-in.
  app.post('/auth/login/second-factor', async (request, reply) => {
    await limiter.enforce(reply, LIMITS.secondFactorPerIp, request.ip);
    const input = secondFactorBody.parse(request.body);
    const deviceId = ensureDeviceId(request, reply, deps.config);
    const { user, session } = await completeSecondFactor(
      deps,
      limiter,
      { pendingToken: input.pending_token, code: input.code },
      requestMeta(request),
      deviceId,
    );
    setSessionCookie(reply, deps.config, session.token, session.expiresAt);
    return { user: publicUser(user) };
  });

  await passkeysApi(app, opts);
}
