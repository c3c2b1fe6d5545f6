// The home page's new releases and featured creators. (Being built.)
import type { HomeShowcase } from '../home/index.js';
import type { CatalogDeps } from './projects.service.js';

export function loadShowcase(_deps: CatalogDeps): Promise<HomeShowcase> {
  return Promise.resolve({ newReleases: [], featuredCreators: [] });
}
