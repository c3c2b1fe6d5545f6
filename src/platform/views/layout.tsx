// The page shell every full page shares. No inline scripts, event handlers or style attributes:
// the CSP allows scripts and styles from our origin only. htmx is configured from a <meta> and
// the CSRF header rides on <body> with htmx 4's explicit `:inherited` modifier, without which
// the header would not reach the elements that actually issue requests.
import type { Children } from '@kitajs/html';
import { assetUrl } from '../http/static-assets.js';
import type { ViewUser } from './view-context.js';

// Kita's types lack `media` on <meta>, which theme-color uses to follow the colour scheme.
declare global {
  // eslint-disable-next-line @typescript-eslint/no-namespace
  namespace JSX {
    interface HtmlMetaTag {
      media?: undefined | string;
    }
  }
}

export const SITE_NAME = 'Makenot.work';
export const SITE_DESCRIPTION =
  'A fair home for creative work: sell music, video, writing, software and files to your fans. We take 0% of what they pay.';

// includeIndicatorCSS: htmx would otherwise add its indicator rules at runtime; ours live in
// styles.css so the page never depends on styles the CSP did not vouch for.
const HTMX_CONFIG = JSON.stringify({ includeIndicatorCSS: false });

/** What a page tells link previews and search engines about itself. */
export interface PageMeta {
  /** the page's absolute canonical URL, also og:url */
  canonical?: string | undefined;
  /** og:type: website (the default), profile, article, music.album, music.song, video.other … */
  ogType?: string | undefined;
  /** absolute URL of the image for og:image; also turns the Twitter card large */
  image?: string | undefined;
  imageAlt?: string | undefined;
  /** unlisted pages and draft previews stay out of search engines */
  noindex?: boolean | undefined;
  /** a schema.org object, rendered as a JSON-LD data block */
  jsonLd?: Record<string, unknown> | undefined;
}

/**
 * JSON for a <script type="application/ld+json"> block. JSON.stringify leaves "<", ">" and "&"
 * alone, so a user's "</script>" would close the block: they become \u escapes, which every
 * JSON parser reads back as the same characters. U+2028/2029 are escaped for old parsers.
 */
export function serializeJsonLd(data: Record<string, unknown>): string {
  return JSON.stringify(data)
    .replace(/</g, '\\u003c')
    .replace(/>/g, '\\u003e')
    .replace(/&/g, '\\u0026')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029');
}

function MetaTags(props: { meta: PageMeta | undefined }): JSX.Element {
  const meta = props.meta;
  if (!meta) return <meta name="twitter:card" content="summary" />;
  // The JSON-LD is data, not script: the CSP does not apply to it and the browser never runs it.
  const safeJsonLd = meta.jsonLd ? serializeJsonLd(meta.jsonLd) : undefined;
  return (
    <>
      {meta.noindex ? <meta name="robots" content="noindex" /> : ''}
      {meta.canonical ? <link rel="canonical" href={meta.canonical} /> : ''}
      {meta.canonical ? <meta property="og:url" content={meta.canonical} /> : ''}
      {meta.image ? <meta property="og:image" content={meta.image} /> : ''}
      {meta.image && meta.imageAlt ? <meta property="og:image:alt" content={meta.imageAlt} /> : ''}
      <meta name="twitter:card" content={meta.image ? 'summary_large_image' : 'summary'} />
      {safeJsonLd ? <script type="application/ld+json">{safeJsonLd}</script> : ''}
    </>
  );
}

export interface LayoutProps {
  /** the page's own title; the site name is appended */
  title: string;
  description?: string | undefined;
  csrfToken: string;
  user?: ViewUser | undefined;
  /** path of the current page, to mark its nav link with aria-current */
  currentPath?: string | undefined;
  meta?: PageMeta | undefined;
  children?: Children;
}

export function pageTitle(title: string): string {
  return title && title !== SITE_NAME ? `${title} · ${SITE_NAME}` : SITE_NAME;
}

function NavLink(props: {
  href: string;
  currentPath: string | undefined;
  class?: string;
  children: Children;
}) {
  const current =
    props.currentPath === props.href || props.currentPath?.startsWith(`${props.href}/`);
  return (
    <li class={props.class}>
      <a href={props.href} aria-current={current ? 'page' : undefined}>
        {props.children}
      </a>
    </li>
  );
}

function Wordmark() {
  return (
    <a class="wordmark" href="/">
      <svg class="wordmark__mark" viewBox="0 0 32 32" aria-hidden="true" focusable="false">
        <rect class="wordmark__tile" width="32" height="32" rx="8" />
        <path
          class="wordmark__stroke"
          d="M8 23V11.5c0-.8.9-1.2 1.5-.7l4.5 4.2 4.5-4.2c.6-.5 1.5-.1 1.5.7V23"
        />
        <circle class="wordmark__dot" cx="24.5" cy="21.5" r="2.2" />
      </svg>
      <span class="wordmark__text">
        Makenot<span class="wordmark__tld">.work</span>
      </span>
    </a>
  );
}

/** A plain search form for wide screens (phones keep the Search link; /search has its own). */
function HeaderSearch() {
  return (
    <form class="header-search" method="get" action="/search" role="search" aria-label="Site">
      <label class="visually-hidden" for="header-search-q">
        Search works, projects and creators
      </label>
      <input
        id="header-search-q"
        class="header-search__input"
        type="search"
        name="q"
        placeholder="Search"
        maxlength="400"
        autocomplete="off"
      />
      <button type="submit" class="header-search__button">
        <svg viewBox="0 0 20 20" width="18" height="18" aria-hidden="true" focusable="false">
          <circle cx="8.5" cy="8.5" r="5.5" fill="none" stroke="currentColor" stroke-width="2" />
          <path d="m13 13 4.5 4.5" stroke="currentColor" stroke-width="2" stroke-linecap="round" />
        </svg>
        <span class="visually-hidden">Search</span>
      </button>
    </form>
  );
}

function SignOutForm(props: { csrfToken: string; class: string }) {
  return (
    <form method="post" action="/logout" class={props.class}>
      <input type="hidden" name="_csrf" value={props.csrfToken} />
      <button type="submit" class="button button--ghost button--small">
        Sign out
      </button>
    </form>
  );
}

/**
 * The signed-in person's menu: a disclosure (account-menu.js turns the link into a button with
 * aria-expanded that shows the list; Escape closes it). Without script the link opens
 * /settings and a <noscript> sign-out button stands beside it. Fans have no public page yet, so
 * only creators get a link to theirs.
 */
function AccountMenu(props: { user: ViewUser; csrfToken: string }) {
  const { user } = props;
  const initial = Array.from(user.displayName.trim() || user.handle)[0]?.toUpperCase() ?? '?';
  return (
    <div class="account-menu" data-account-menu>
      <a
        class="account-menu__toggle"
        href="/settings"
        title={`${user.displayName} (@${user.handle})`}
        data-account-menu-toggle="account-menu"
      >
        <span class="account-menu__initial" aria-hidden="true" safe>
          {initial}
        </span>
        <span class="visually-hidden">Account menu, signed in as </span>
        <span class="account-menu__handle" safe>{`@${user.handle}`}</span>
      </a>
      <div class="account-menu__panel" id="account-menu" hidden>
        <p class="account-menu__who">
          <span class="account-menu__name" safe>
            {user.displayName}
          </span>
          <span class="account-menu__sub" safe>{`@${user.handle}`}</span>
        </p>
        <ul class="account-menu__list" role="list">
          {user.isCreator ? (
            <li>
              <a href={`/@${encodeURIComponent(user.handle)}`}>Your public page</a>
            </li>
          ) : (
            ''
          )}
          <li>
            <a href="/library">Library</a>
          </li>
          {user.isCreator ? (
            <li>
              <a href="/dashboard">Dashboard</a>
            </li>
          ) : (
            <li>
              <a href="/join/create">Start creating</a>
            </li>
          )}
          <li>
            <a href="/settings">Settings</a>
          </li>
          <li>
            <SignOutForm csrfToken={props.csrfToken} class="account-menu__signout" />
          </li>
        </ul>
      </div>
      <noscript>
        <SignOutForm csrfToken={props.csrfToken} class="main-nav__signout" />
      </noscript>
    </div>
  );
}

function MainNav(props: {
  user: ViewUser | undefined;
  csrfToken: string;
  currentPath: string | undefined;
}) {
  const { user, currentPath } = props;
  return (
    <nav class="main-nav" aria-label="Main">
      <ul class="main-nav__primary">
        <NavLink href="/discover" currentPath={currentPath}>
          Discover
        </NavLink>
        <NavLink href="/search" currentPath={currentPath} class="main-nav__search-link">
          Search
        </NavLink>
        <NavLink href="/library" currentPath={currentPath}>
          Library
        </NavLink>
        {user?.isCreator ? (
          <NavLink href="/dashboard" currentPath={currentPath}>
            Dashboard
          </NavLink>
        ) : (
          ''
        )}
      </ul>
      {currentPath === '/search' ? '' : <HeaderSearch />}
      {user ? (
        <div class="main-nav__account">
          <AccountMenu user={user} csrfToken={props.csrfToken} />
        </div>
      ) : (
        <ul class="main-nav__account">
          <NavLink href="/login" currentPath={currentPath}>
            Sign in
          </NavLink>
          <li>
            <a class="button button--primary button--small" href="/join">
              Join
            </a>
          </li>
        </ul>
      )}
    </nav>
  );
}

function SiteFooter() {
  return (
    <footer class="site-footer">
      <div class="wrap site-footer__inner">
        <div class="site-footer__about">
          <p class="site-footer__name">{SITE_NAME}</p>
          <p>
            A fair platform for musicians, writers, filmmakers and developers. We take 0% of what
            fans pay: creators keep it, less only the card processor’s fee. Your processed files
            download again exactly as you uploaded them, and the whole platform can be self-hosted.
          </p>
        </div>
        <nav class="site-footer__links" aria-label="Footer">
          <ul>
            <li>
              <a href="/discover">Discover</a>
            </li>
            <li>
              <a href="/search">Search</a>
            </li>
            <li>
              <a href="/#pricing">Pricing</a>
            </li>
            <li>
              <a href="/join">Join as a creator</a>
            </li>
            <li>
              <a href="/api/v1/openapi.json">API</a>
            </li>
          </ul>
        </nav>
      </div>
    </footer>
  );
}

export function Layout(props: LayoutProps): JSX.Element {
  const description = props.description ?? SITE_DESCRIPTION;
  const fullTitle = pageTitle(props.title);
  // The token is also on the <meta> so small scripts (player, uploader) can read it.
  const hxHeaders = props.csrfToken
    ? JSON.stringify({ 'X-CSRF-Token': props.csrfToken })
    : undefined;
  return (
    <>
      {'<!doctype html>'}
      <html lang="en">
        <head>
          <meta charset="utf-8" />
          <meta name="viewport" content="width=device-width, initial-scale=1" />
          <title safe>{fullTitle}</title>
          <meta name="description" content={description} />
          <meta property="og:type" content={props.meta?.ogType ?? 'website'} />
          <meta property="og:site_name" content={SITE_NAME} />
          <meta property="og:title" content={fullTitle} />
          <meta property="og:description" content={description} />
          <MetaTags meta={props.meta} />
          <meta name="color-scheme" content="light dark" />
          <meta name="theme-color" content="#fbf6ee" media="(prefers-color-scheme: light)" />
          <meta name="theme-color" content="#181311" media="(prefers-color-scheme: dark)" />
          <meta name="csrf-token" content={props.csrfToken} />
          <meta name="htmx-config" content={HTMX_CONFIG} />
          <link rel="icon" href={assetUrl('favicon.svg')} type="image/svg+xml" />
          <link rel="stylesheet" href={assetUrl('styles.css')} />
          <script src={assetUrl('htmx.js')} defer></script>
          {props.user ? <script src={assetUrl('account-menu.js')} defer></script> : ''}
        </head>
        <body hx-headers:inherited={hxHeaders}>
          <a class="skip-link" href="#main">
            Skip to content
          </a>
          <header class="site-header">
            <div class="wrap site-header__inner">
              <Wordmark />
              <MainNav
                user={props.user}
                csrfToken={props.csrfToken}
                currentPath={props.currentPath}
              />
            </div>
          </header>
          <main id="main" tabindex="-1">
            {props.children}
          </main>
          <SiteFooter />
        </body>
      </html>
    </>
  );
}
