// /library: what the signed-in fan bought, newest purchase first; each card leads to the item
// page, where the player and the downloads are theirs in full. A purchase refunded or disputed
// stays listed with a badge (its page offers it again); a departed creator's item says until
// when it stays open.
import type { FastifyInstance } from 'fastify';
import { EmptyState, LinkButton, PageHeader } from '../../platform/views/components.js';
import { ItemGrid, type ItemCardData } from '../../platform/views/cards.js';
import { render } from '../../platform/views/render.js';
import type { CatalogDeps } from '../catalog/index.js';
import { kindLabel } from '../catalog/index.js';
import { formatDate } from '../../platform/dates.js';
import { listLibrary } from './orders.service.js';
import type { LibraryEntry } from './payments.schemas.js';

const LIBRARY_SIZE = 100;

/** What a card says about a purchase that no longer opens, or a departed creator's deadline. */
function stateOfCard(entry: LibraryEntry): Pick<ItemCardData, 'priceLabel' | 'badge' | 'note'> {
  switch (entry.state) {
    case 'owned':
      return {
        priceLabel: 'Yours',
        note: entry.available_until
          ? `Available until ${formatDate(new Date(entry.available_until))}`
          : undefined,
      };
    case 'refunded':
      return {
        priceLabel: '',
        badge: 'Refunded',
        note: 'The payment was refunded, so this purchase no longer opens.',
      };
    case 'disputed':
      return {
        priceLabel: '',
        badge: 'Disputed',
        note: 'The payment is disputed with your bank, so this purchase does not open.',
      };
  }
}

/** One card per item (bought twice: one card), an owned purchase before one that went back. */
function libraryCards(entries: readonly LibraryEntry[]): ItemCardData[] {
  const chosen = new Map<string, LibraryEntry>();
  for (const entry of entries) {
    const seen = chosen.get(entry.item.id);
    if (!seen || (seen.state !== 'owned' && entry.state === 'owned')) {
      chosen.set(entry.item.id, entry);
    }
  }
  return [...chosen.values()].map((entry) => {
    const { item } = entry;
    const path = new URL(item.url).pathname;
    const handle = decodeURIComponent(path.split('/')[1]?.slice(1) ?? '');
    return {
      url: path,
      title: item.title,
      creatorName: `@${handle}`,
      creatorUrl: `/@${encodeURIComponent(handle)}`,
      kindLabel: kindLabel(item.type),
      coverUrl: item.cover ? new URL(item.cover.url).pathname : undefined,
      ...stateOfCard(entry),
    };
  });
}

export async function libraryPages(app: FastifyInstance, { catalog }: { catalog: CatalogDeps }) {
  app.get('/library', async (request, reply) => {
    const principal = request.principal;
    if (!principal) return reply.redirect('/login?next=%2Flibrary', 303);
    const { items } = await listLibrary(catalog, principal, { limit: LIBRARY_SIZE });
    const cards = libraryCards(items);
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
