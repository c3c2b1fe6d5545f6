import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { Layout, pageTitle, serializeJsonLd } from './layout.js';

const HOSTILE = '<script>alert("x")</script>';

function renderLayout(props: Partial<Parameters<typeof Layout>[0]> = {}): string {
  const html: JSX.Element = Layout({
    title: 'Page',
    csrfToken: '',
    children: <p>body</p>,
    ...props,
  });
  if (typeof html !== 'string') throw new TypeError('the layout rendered a promise');
  return html;
}

describe('layout', () => {
  test('a hostile title, description, handle and display name come out escaped', () => {
    const html = renderLayout({
      title: HOSTILE,
      description: HOSTILE,
      csrfToken: '"><script>x()</script>',
      user: { handle: HOSTILE, displayName: HOSTILE, isCreator: true },
    });
    // Inside a double-quoted attribute `<` is plain data; only `"` could end it, and Kita
    // escapes that. So: drop attribute values, then htmx and the account menu must be the only
    // script tags.
    const outsideAttributes = html.replace(/="[^"]*"/g, '=""');
    assert.equal(outsideAttributes.match(/<script/g)?.length, 2, 'htmx and the account menu');
    assert.ok(!html.includes('content=""><script'), 'the CSRF token cannot end its attribute');
    assert.match(
      html,
      /<title>&lt;script>alert\(&#34;x&#34;\)&lt;\/script> · Makenot\.work<\/title>/,
    );
    assert.match(html, /<span class="account-menu__handle">@&lt;script>alert/);
    assert.match(html, /<span class="account-menu__name">&lt;script>alert/);
    assert.match(html, /<span class="account-menu__initial" aria-hidden="true">&lt;<\/span>/);
  });

  test('no inline scripts, event handlers or style attributes (the CSP forbids them)', () => {
    const html = renderLayout({
      user: { handle: 'mara', displayName: 'Mara', isCreator: true },
      csrfToken: 't',
    });
    for (const script of html.match(/<script[^>]*>/g) ?? []) {
      assert.match(script, /src="\/assets\/(htmx|account-menu)\.[0-9a-f]{10}\.js" defer/);
    }
    assert.doesNotMatch(html, /<script[^>]*>[^<]/);
    assert.doesNotMatch(html, /\son[a-z]+=/i);
    assert.doesNotMatch(html, /\sstyle=/i);
    assert.doesNotMatch(html, /<style/i);
  });

  test('the shell has landmarks, a skip link, assets and the htmx config', () => {
    const html = renderLayout({ currentPath: '/discover' });
    assert.match(html, /^<!doctype html><html lang="en">/);
    assert.match(html, /<meta name="viewport" content="width=device-width, initial-scale=1"\/>/);
    assert.match(html, /<a class="skip-link" href="#main">/);
    assert.match(html, /<header class="site-header">/);
    assert.match(html, /<nav class="main-nav" aria-label="Main">/);
    assert.match(html, /<main id="main"/);
    assert.match(html, /<footer class="site-footer">/);
    assert.match(html, /We take 0% of what\s+fans pay/);
    assert.match(html, /<link rel="stylesheet" href="\/assets\/styles\.[0-9a-f]{10}\.css"\/>/);
    assert.match(
      html,
      /<meta name="htmx-config" content="\{&#34;includeIndicatorCSS&#34;:false\}"\/>/,
    );
    assert.match(html, /<a href="\/discover" aria-current="page">Discover<\/a>/);
    for (const href of ['/discover', '/search', '/library', '/login', '/join']) {
      assert.ok(html.includes(`href="${href}"`), href);
    }
    assert.ok(!html.includes('href="/dashboard"'), 'no dashboard link for visitors');
  });

  test('every page but /search has a labelled search form in the header', () => {
    const html = renderLayout({ csrfToken: 't' });
    assert.match(html, /<form class="header-search" method="get" action="\/search" role="search"/);
    assert.match(html, /<label class="visually-hidden" for="header-search-q">/);
    assert.match(html, /<input id="header-search-q"[^>]* type="search" name="q"/);
    const onSearch = renderLayout({ csrfToken: 't', currentPath: '/search' });
    assert.ok(!onSearch.includes('header-search'), '/search has its own box');
  });

  test('creators get a Dashboard link next to Discover; fans, who have none, do not', () => {
    const creator = renderLayout({
      user: { handle: 'mara', displayName: 'Mara', isCreator: true },
      csrfToken: 't',
    });
    assert.match(creator, /<a href="\/discover">Discover<\/a>/);
    assert.match(
      creator,
      /<li><a href="\/dashboard">Dashboard<\/a><\/li><\/ul><form class="header-search"/,
    );
    const fan = renderLayout({
      user: { handle: 'finn', displayName: 'Finn', isCreator: false },
      csrfToken: 't',
    });
    assert.doesNotMatch(fan, /href="\/dashboard"/);
  });

  test('the account menu: a link to /settings that the script makes a disclosure', () => {
    const creator = renderLayout({
      user: { handle: 'mara', displayName: 'Mara Lind', isCreator: true },
      csrfToken: 'tok',
    });
    const menu = /<div class="account-menu" data-account-menu>([\s\S]*?)<\/noscript><\/div>/.exec(
      creator,
    )?.[1];
    assert.ok(menu, 'signed-in people have an account menu');
    assert.match(
      menu,
      /^<a class="account-menu__toggle" href="\/settings" title="Mara Lind \(@mara\)" data-account-menu-toggle="account-menu">/,
      'without script the toggle opens the settings',
    );
    assert.match(menu, /<span class="visually-hidden">Account menu, signed in as <\/span>/);
    assert.match(menu, /<div class="account-menu__panel" id="account-menu" hidden>/);
    assert.match(menu, /<span class="account-menu__name">Mara Lind<\/span>/);
    const links = [...menu.matchAll(/<a href="([^"]+)">([^<]+)<\/a>/g)].map(
      (m) => `${m[2]} ${m[1]}`,
    );
    assert.deepEqual(links, [
      'Your public page /@mara',
      'Library /library',
      'Dashboard /dashboard',
      'Settings /settings',
    ]);
    assert.match(
      menu,
      /<form method="post" action="\/logout" class="account-menu__signout"><input type="hidden" name="_csrf" value="tok"\/><button type="submit"[^>]*>Sign out<\/button><\/form>/,
    );
    assert.match(
      menu,
      /<noscript><form method="post" action="\/logout" class="main-nav__signout">/,
    );
    assert.match(creator, /<script src="\/assets\/account-menu\.[0-9a-f]{10}\.js" defer>/);

    // fans have no public page yet: no link to a 404, and an offer to start creating instead
    const fan = renderLayout({
      user: { handle: 'finn', displayName: 'Finn', isCreator: false },
      csrfToken: 'tok',
    });
    assert.doesNotMatch(fan, /href="\/@finn"/);
    assert.match(fan, /<a href="\/join\/create">Start creating<\/a>/);
    assert.match(fan, /<a href="\/settings">Settings<\/a>/);
    assert.doesNotMatch(renderLayout(), /account-menu/, 'visitors get Sign in and Join');
  });

  test('sharing meta: canonical, og:url, og:image, a large Twitter card and JSON-LD', () => {
    const html = renderLayout({
      meta: {
        canonical: 'https://example.test/@mara',
        ogType: 'profile',
        image: 'https://example.test/media/images/x/1200.webp',
        jsonLd: { '@context': 'https://schema.org', '@type': 'Person', name: 'Mara' },
      },
    });
    assert.match(html, /<link rel="canonical" href="https:\/\/example\.test\/@mara"\/>/);
    assert.match(html, /<meta property="og:url" content="https:\/\/example\.test\/@mara"\/>/);
    assert.match(html, /<meta property="og:type" content="profile"\/>/);
    assert.match(html, /<meta property="og:image" content="https:\/\/example\.test\/media/);
    assert.match(html, /<meta name="twitter:card" content="summary_large_image"\/>/);
    assert.match(
      html,
      /<script type="application\/ld\+json">\{"@context":"https:\/\/schema.org","@type":"Person","name":"Mara"\}<\/script>/,
    );
    assert.doesNotMatch(renderLayout(), /ld\+json|rel="canonical"/);
    assert.match(renderLayout(), /<meta name="twitter:card" content="summary"\/>/);
  });

  test('JSON-LD cannot be closed or commented by user text, and parses back unchanged', () => {
    const hostile = '</script><script>alert(1)</script><!-- & \u2028\u2029';
    const safeJson = serializeJsonLd({ name: hostile });
    assert.doesNotMatch(safeJson, /[<>&\u2028\u2029]/);
    assert.deepEqual(JSON.parse(safeJson), { name: hostile });
    const html = renderLayout({ meta: { jsonLd: { name: hostile } } });
    assert.equal(html.match(/<\/script>/g)?.length, 2, 'htmx and the JSON-LD block only');
  });

  test('with no CSRF token there is no hx-headers attribute to send an empty one', () => {
    assert.match(renderLayout(), /<body>/);
  });

  test('page titles carry the site name once', () => {
    assert.equal(pageTitle('Discover'), 'Discover · Makenot.work');
    assert.equal(pageTitle('Makenot.work'), 'Makenot.work');
    assert.equal(pageTitle(''), 'Makenot.work');
  });
});
