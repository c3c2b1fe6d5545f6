// The home module's public face.
export { homePages, type HomePagesOptions, type HomeShowcase } from './home.pages.js';
export type { HomePageProps } from './views/home-page.js';
