// /library: what the signed-in fan owns, newest purchase first; each card leads to the item page,
// where the player and the downloads are theirs in full.
import type { FastifyInstance } from 'fastify';
import { EmptyState, LinkButton, PageHeader } from '../../platform/views/components.js';
import { ItemGrid, type ItemCardData } from '../../platform/views/cards.js';
import { render } from '../../platform/views/render.js';
import type { CatalogDeps } from '../catalog/projects.service.js';
import { kindLabel } from '../catalog/public/format.js';
import { listLibrary } from './orders.service.js';

const LIBRARY_SIZE = 100;

export async function libraryPages(app: FastifyInstance, { catalog }: { catalog: CatalogDeps }) {
  app.get('/library', async (request, reply) => {
    const principal = request.principal;
    if (!principal) return reply.redirect('/login?next=%2Flibrary', 303);
    const { items } = await listLibrary(catalog, principal, { limit: LIBRARY_SIZE });
    const seen = new Set<string>();
    const cards: ItemCardData[] = [];
    for (const { item } of items) {
      if (seen.has(item.id)) continue; // bought twice: one card
      seen.add(item.id);
      const path = new URL(item.url).pathname;
      const handle = decodeURIComponent(path.split('/')[1]?.slice(1) ?? '');
      cards.push({
        url: path,
        title: item.title,
        creatorName: `@${handle}`,
        creatorUrl: `/@${encodeURIComponent(handle)}`,
        kindLabel: kindLabel(item.type),
        priceLabel: 'Yours',
        coverUrl: item.cover ? new URL(item.cover.url).pathname : undefined,
      });
    }
    reply.header('cache-control', 'private, no-store');
    return render(reply, {
      title: 'Your library',
      body: (
        <div class="wrap catalog-page">
          <PageHeader
            eyebrow="Library"
            title="Your library"
            lead="Everything you bought or claimed. Open one to play, read or download it."
            actions={
              <>
                <LinkButton href="/library/keys" variant="secondary">
                  Licence keys
                </LinkButton>{' '}
                <LinkButton href="/library/memberships" variant="secondary">
                  Memberships
                </LinkButton>
              </>
            }
          />
          {cards.length === 0 ? (
            <EmptyState
              title="Nothing here yet"
              action={<LinkButton href="/discover">Discover new work</LinkButton>}
            >
              <p>What you buy or claim for free appears here, to play and download any time.</p>
            </EmptyState>
          ) : (
            <ItemGrid items={cards} />
          )}
        </div>
      ),
    });
  });
}
