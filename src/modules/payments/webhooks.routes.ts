// POST /webhooks/payments/:processor. The signature covers the exact bytes sent, so this scope
// reads JSON bodies as raw buffers; CSRF does not apply (app.ts exempts /webhooks/), the
// signature is the authentication.
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { notFound } from '../../platform/errors.js';
import { receivePaymentEvent, type ReceiveDeps } from './webhooks.service.js';

const paramsSchema = z.object({ processor: z.enum(['local', 'stripe']) });

export async function webhookRoutes(app: FastifyInstance, { deps }: { deps: ReceiveDeps }) {
  await app.register(async (scope) => {
    scope.removeContentTypeParser('application/json');
    scope.addContentTypeParser(
      'application/json',
      { parseAs: 'buffer', bodyLimit: 256 * 1024 },
      (_request, body, done) => {
        done(null, body);
      },
    );

    scope.post('/webhooks/payments/:processor', async (request, reply) => {
      const params = paramsSchema.safeParse(request.params);
      if (!params.success) throw notFound('processor');
      const raw = Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0);
      const header = request.headers['stripe-signature'];
      const result = await receivePaymentEvent(
        deps,
        params.data.processor,
        raw,
        typeof header === 'string' ? header : undefined,
      );
      return reply.status(200).send({ received: true, duplicate: result === 'duplicate' });
    });
  });
}
