// The home module's public face: the front page, filled with what the catalogue passes in.
import type { AppModule } from '../../platform/module.js';
import { homePages, type HomePagesOptions } from './home.pages.js';

export function createHomeModule(options: HomePagesOptions): AppModule {
  return {
    name: 'home',
    routes: async (app) => {
      await app.register(homePages, options);
    },
  };
}

export type { HomePagesOptions, HomeShowcase } from './home.pages.js';
export type { HomePageProps } from './views/home-page.js';
