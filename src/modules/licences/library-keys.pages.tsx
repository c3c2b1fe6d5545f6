// /library/keys: the signed-in buyer's licence keys, each with its item, whether it still works
// and the machines it is active on. Linked from /library.
import type { FastifyInstance } from 'fastify';
import { EmptyState, LinkButton, PageHeader } from '../../platform/views/components.js';
import { render } from '../../platform/views/render.js';
import { buyerKeys } from './key-lists.service.js';
import type { BuyerKeyJson } from './licences.schemas.js';
import type { LicencesDeps } from './licences.service.js';

function KeyCard({ entry }: { entry: BuyerKeyJson }): JSX.Element {
  const headingId = `key-${entry.id}`;
  return (
    <li class="card licence-key" aria-labelledby={headingId}>
      <h2 class="item-card__title" id={headingId}>
        <a href={`/i/${entry.item.id}`} safe>
          {entry.item.title}
        </a>
      </h2>
      <p>
        <span class="visually-hidden">Licence key: </span>
        <code class="licence-key__value" safe>
          {entry.key}
        </code>
      </p>
      <p class="item-card__meta" safe>
        {(entry.status === 'active' ? 'Active' : 'Revoked (the order was refunded or disputed)') +
          ` · ${entry.activations.used} of ${entry.activations.limit} activations used`}
      </p>
      {entry.instances.length === 0 ? (
        ''
      ) : (
        <ul class="licence-key__instances" aria-label="Activated on">
          {entry.instances.map((instance) => (
            <li safe>{instance.label ?? instance.instance_id}</li>
          ))}
        </ul>
      )}
    </li>
  );
}

export async function libraryKeysPages(app: FastifyInstance, { deps }: { deps: LicencesDeps }) {
  app.get('/library/keys', async (request, reply) => {
    const principal = request.principal;
    if (!principal) return reply.redirect('/login?next=%2Flibrary%2Fkeys', 303);
    const keys = await buyerKeys(deps, principal.user.id);
    reply.header('cache-control', 'private, no-store');
    return render(reply, {
      title: 'Your licence keys',
      body: (
        <div class="wrap catalog-page">
          <PageHeader
            eyebrow="Library"
            title="Your licence keys"
            lead="Each piece of software you bought comes with a key. Type it into the app to unlock it."
            actions={
              <LinkButton href="/library" variant="secondary">
                Back to your library
              </LinkButton>
            }
          />
          {keys.length === 0 ? (
            <EmptyState title="No licence keys yet" level={2}>
              <p>Software you buy or claim comes with a key, shown here.</p>
            </EmptyState>
          ) : (
            <ul class="card-grid">
              {keys.map((entry) => (
                <KeyCard entry={entry} />
              ))}
            </ul>
          )}
        </div>
      ),
    });
  });
}
