// The licence-key API: public key checks for installed software (no session; rate-limited per
// address and per key), the buyer's keys, and the creator's settings, issued keys and resets.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { principalOf, requireScope, requireUser } from '../../platform/http/auth.js';
import { RateLimiter } from '../../platform/http/rate-limit.js';
import {
  buyerKeys,
  issuedKeys,
  licenceSettings,
  resetActivation,
  setLicenceSettings,
} from './key-lists.service.js';
import { LICENCE_LIMITS } from './licences.rate-limits.js';
import {
  activateInputSchema,
  deactivateInputSchema,
  idParamsSchema,
  licenceSettingsInputSchema,
  validateInputSchema,
} from './licences.schemas.js';
import {
  activateKey,
  deactivateKey,
  keySubject,
  validateKey,
  type LicencesDeps,
} from './licences.service.js';

export async function licencesApi(app: FastifyInstance, { deps }: { deps: LicencesDeps }) {
  const limiter = new RateLimiter(deps.db);
  const limit = async (request: FastifyRequest, reply: FastifyReply, key: string) => {
    await limiter.enforce(reply, LICENCE_LIMITS.perIp, request.ip);
    await limiter.enforce(reply, LICENCE_LIMITS.perKey, keySubject(key));
  };

  app.post('/keys/validate', async (request, reply) => {
    const input = validateInputSchema.parse(request.body ?? {});
    await limit(request, reply, input.key);
    return validateKey(deps.db, input);
  });

  app.post('/keys/activate', async (request, reply) => {
    const input = activateInputSchema.parse(request.body ?? {});
    await limit(request, reply, input.key);
    return activateKey(deps.db, input);
  });

  app.post('/keys/deactivate', async (request, reply) => {
    const input = deactivateInputSchema.parse(request.body ?? {});
    await limit(request, reply, input.key);
    return deactivateKey(deps.db, input);
  });

  await app.register(async (signedIn) => {
    signedIn.addHook('preHandler', requireUser);

    signedIn.get('/library/keys', async (request, reply) => {
      reply.header('cache-control', 'private, no-store');
      return { items: await buyerKeys(deps, principalOf(request).user.id), next_cursor: null };
    });

    signedIn.get('/items/:id/keys', async (request) => {
      const { id } = idParamsSchema.parse(request.params);
      const items = await issuedKeys(deps.db, principalOf(request).user.id, id);
      return { items, next_cursor: null };
    });

    signedIn.get('/items/:id/licence', async (request) => {
      const { id } = idParamsSchema.parse(request.params);
      return { licence: await licenceSettings(deps.db, principalOf(request).user.id, id) };
    });
  });

  await app.register(async (writer) => {
    writer.addHook('preHandler', requireUser);
    writer.addHook('preHandler', requireScope('write'));

    writer.put('/items/:id/licence', async (request) => {
      const { id } = idParamsSchema.parse(request.params);
      const { activation_limit } = licenceSettingsInputSchema.parse(request.body ?? {});
      const userId = principalOf(request).user.id;
      return { licence: await setLicenceSettings(deps.db, userId, id, activation_limit) };
    });

    writer.delete('/keys/activations/:id', async (request, reply) => {
      const { id } = idParamsSchema.parse(request.params);
      await resetActivation(deps.db, principalOf(request).user.id, id);
      return reply.status(204).send();
    });
  });
}
