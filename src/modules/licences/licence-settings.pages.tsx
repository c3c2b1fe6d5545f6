// /dashboard/items/<id>/licence: a software item's licence keys for its creator. The activation
// limit (how many machines one key unlocks), the keys issued so far by their last characters
// only (a key is its buyer's), whether each still works, and the machines it is active on, each
// with a reset that frees its place (a buyer's lost or replaced machine). Plain forms: nothing
// here needs script. Anyone but the item's creator, and any item that is not software, gets 404.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { Db } from '../../db/database.js';
import { notFound } from '../../platform/errors.js';
import { principalOf, requireUser } from '../../platform/http/auth.js';
import { requireCreator } from '../../platform/http/require-creator.js';
import { isUuid } from '../../platform/ids.js';
import { render } from '../../platform/views/render.js';
import { csrfOf } from '../../platform/views/view-context.js';
import { flashReader } from '../../platform/views/forms.js';
import {
  issuedKeys,
  licenceSettings,
  resetActivation,
  setLicenceSettings,
} from './key-lists.service.js';
import { requireOwnItem } from './licences.service.js';
import { LicenceSettingsPage } from './views/licence-settings-page.js';

const flashFor = flashReader({
  limit_saved: 'Activation limit saved.',
  activation_reset: 'Activation reset: that key can be activated on another machine now.',
});
const doneQuery = z.object({ done: z.string().max(40).optional() }).catch({});
const limitForm = z.looseObject({ activation_limit: z.string().max(20).default('') });
const LIMIT_ERROR = 'Enter a whole number from 1 to 1000.';

function idOf(request: FastifyRequest, name: 'id' | 'activation'): string {
  const params = z.record(z.string(), z.string()).safeParse(request.params);
  const id = params.success ? params.data[name] : undefined;
  if (id === undefined || !isUuid(id)) throw notFound(name === 'id' ? 'item' : 'activation');
  return id;
}

export async function licenceSettingsPages(app: FastifyInstance, { db }: { db: Db }) {
  /** The creator's own software item (404 for anything else). */
  async function ownSoftware(request: FastifyRequest) {
    const item = await requireOwnItem(db, principalOf(request).user.id, idOf(request, 'id'));
    if (item.type !== 'software') throw notFound('item');
    return item;
  }

  async function sendPage(
    request: FastifyRequest,
    reply: FastifyReply,
    form: { value: string; error: string } | undefined,
  ) {
    const item = await ownSoftware(request);
    const userId = principalOf(request).user.id;
    const [settings, keys] = await Promise.all([
      licenceSettings(db, userId, item.id),
      issuedKeys(db, userId, item.id),
    ]);
    return render(reply, {
      title: `Licence keys · ${item.title}`,
      status: form ? 422 : undefined,
      body: (
        <LicenceSettingsPage
          item={item}
          limit={form?.value ?? String(settings.activation_limit)}
          error={form?.error}
          keys={keys}
          csrfToken={csrfOf(request)}
          flash={form ? undefined : flashFor(doneQuery.parse(request.query).done)}
        />
      ),
    });
  }

  await app.register(async (creators) => {
    creators.addHook('preHandler', requireUser);
    creators.addHook('preHandler', requireCreator);

    creators.get('/dashboard/items/:id/licence', (request, reply) =>
      sendPage(request, reply, undefined),
    );

    creators.post('/dashboard/items/:id/licence', async (request, reply) => {
      const item = await ownSoftware(request);
      const value = limitForm.parse(request.body ?? {}).activation_limit.trim();
      const limit = /^\d{1,4}$/.test(value) ? Number(value) : NaN;
      if (!(limit >= 1 && limit <= 1000)) {
        return sendPage(request, reply, { value, error: LIMIT_ERROR });
      }
      await setLicenceSettings(db, principalOf(request).user.id, item.id, limit);
      return reply.redirect(`/dashboard/items/${item.id}/licence?done=limit_saved`, 303);
    });

    creators.post(
      '/dashboard/items/:id/licence/activations/:activation/reset',
      async (request, reply) => {
        const item = await ownSoftware(request);
        await resetActivation(db, principalOf(request).user.id, idOf(request, 'activation'));
        return reply.redirect(
          `/dashboard/items/${item.id}/licence?done=activation_reset#keys`,
          303,
        );
      },
    );
  });
}
