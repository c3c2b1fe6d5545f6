// The memberships endpoints under /api/v1: tiers (read by anyone, changed by the project's
// creator), joining a tier, the caller's memberships and cancelling one.
import type { FastifyInstance } from 'fastify';
import { principalOf, requireUser } from '../../platform/http/auth.js';
import { RateLimiter } from '../../platform/http/rate-limit.js';
import {
  idParamsSchema,
  subscribeInputSchema,
  tierInputSchema,
  tierPatchSchema,
} from './memberships.schemas.js';
import { cancelMembership, listMyMemberships, toMembershipJson } from './memberships.service.js';
import { subscribe, type MembershipsDeps } from './subscribe.service.js';
import { createTier, listProjectTiers, patchTier, removeTier } from './tiers.service.js';

/** Joins per address: each makes an order and a processor session. */
export const SUBSCRIBE_LIMIT = { name: 'subscribe-ip', limit: 60, windowSeconds: 3600 };

export async function membershipsApi(app: FastifyInstance, { deps }: { deps: MembershipsDeps }) {
  const { db } = deps;
  const limiter = new RateLimiter(db);

  app.get('/projects/:id/tiers', async (request) => {
    const { id } = idParamsSchema.parse(request.params);
    return { items: await listProjectTiers(db, request.principal, id), next_cursor: null };
  });

  // Guests may join (with an email); a signed-in fan's membership is theirs.
  app.post('/memberships', async (request, reply) => {
    const input = subscribeInputSchema.parse(request.body ?? {});
    await limiter.enforce(reply, SUBSCRIBE_LIMIT, request.ip);
    const result = await subscribe(deps, request.principal, input);
    return reply.status(201).send(result);
  });

  await app.register(async (signedIn) => {
    signedIn.addHook('preHandler', requireUser);

    signedIn.post('/projects/:id/tiers', async (request, reply) => {
      const { id } = idParamsSchema.parse(request.params);
      const input = tierInputSchema.parse(request.body ?? {});
      const tier = await createTier(db, principalOf(request), id, input);
      return reply.status(201).send({ tier });
    });

    signedIn.patch('/tiers/:id', async (request) => {
      const { id } = idParamsSchema.parse(request.params);
      const patch = tierPatchSchema.parse(request.body ?? {});
      return { tier: await patchTier(db, principalOf(request), id, patch) };
    });

    signedIn.delete('/tiers/:id', async (request, reply) => {
      const { id } = idParamsSchema.parse(request.params);
      const archived = await removeTier(db, principalOf(request), id);
      if (archived === undefined) return reply.status(204).send();
      return reply.status(200).send({ tier: archived });
    });

    signedIn.get('/me/memberships', async (request) => {
      const rows = await listMyMemberships(db, principalOf(request));
      return { items: rows.map(toMembershipJson), next_cursor: null };
    });

    signedIn.post('/memberships/:id/cancel', async (request) => {
      const { id } = idParamsSchema.parse(request.params);
      const principal = principalOf(request);
      await cancelMembership(db, deps.processor, principal, id);
      const rows = await listMyMemberships(db, principal);
      const membership = rows.find((row) => row.id === id);
      return { membership: membership ? toMembershipJson(membership) : null };
    });
  });
}
