// The home page's new releases and featured creators: the newest published items, and the
// active creators who published most recently.
import type { CreatorCardData } from '../../platform/views/cards.js';
import type { HomeShowcase } from '../home/index.js';
import { findImageRefs } from './images.service.js';
import type { CatalogDeps } from './projects.service.js';
import { toItemCards } from './public/card-data.js';
import { creatorPath } from './public/urls.js';
import { textOf } from './rendered-text.js';
import { listNewestItems, listRecentlyActiveCreators } from './public.repository.js';

const NEW_RELEASES = 8;
const FEATURED_CREATORS = 6;

export async function loadShowcase(deps: CatalogDeps): Promise<HomeShowcase> {
  const [items, creators] = await Promise.all([
    listNewestItems(deps.db, { limit: NEW_RELEASES }),
    listRecentlyActiveCreators(deps.db, FEATURED_CREATORS),
  ]);
  const avatars = await findImageRefs(
    deps.db,
    creators.map((creator) => creator.avatar_image_id),
  );
  return {
    newReleases: toItemCards(items),
    featuredCreators: creators.map((creator): CreatorCardData => {
      const avatar = creator.avatar_image_id ? avatars.get(creator.avatar_image_id) : undefined;
      return {
        url: creatorPath(creator.handle),
        handle: creator.handle,
        displayName: creator.display_name,
        tagline: textOf(creator.bio, creator.bio_text, 90) || undefined,
        avatarUrl: avatar?.src,
        avatarSrcset: avatar?.srcset,
      };
    }),
  };
}
