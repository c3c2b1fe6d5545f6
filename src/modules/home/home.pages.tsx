// GET /: the front page. The catalogue module will pass loadShowcase to fill the new releases
// and featured creators; without it the page shows its empty states.
import type { FastifyInstance } from 'fastify';
import type { CreatorCardData, ItemCardData } from '../../platform/views/cards.js';
import { render } from '../../platform/views/render.js';
import { HomePage } from './views/home-page.js';

export interface HomeShowcase {
  newReleases: readonly ItemCardData[];
  featuredCreators: readonly CreatorCardData[];
}

export interface HomePagesOptions {
  loadShowcase?: () => Promise<HomeShowcase>;
}

const EMPTY_SHOWCASE: HomeShowcase = { newReleases: [], featuredCreators: [] };

export function homePages(
  app: FastifyInstance,
  opts: HomePagesOptions,
  done: (err?: Error) => void,
): void {
  // anonymous visitors may get it from the page cache (≤ 1 s old; platform/http/page-cache.ts)
  app.get('/', { config: { pageCache: true } }, async (_request, reply) => {
    const showcase = opts.loadShowcase ? await opts.loadShowcase() : EMPTY_SHOWCASE;
    return render(reply, {
      title: 'Sell your work: we take 0% of it',
      body: (
        <HomePage newReleases={showcase.newReleases} featuredCreators={showcase.featuredCreators} />
      ),
    });
  });
  done();
}
