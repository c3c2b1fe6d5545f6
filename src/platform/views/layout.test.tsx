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
      user: { handle: HOSTILE, displayName: HOSTILE },
    });
    // Inside a double-quoted attribute `<` is plain data; only `"` could end it, and Kita
    // escapes that. So: drop attribute values, then the htmx tag must be the only script.
    const outsideAttributes = html.replace(/="[^"]*"/g, '=""');
    assert.equal(outsideAttributes.match(/<script/g)?.length, 1, 'only the htmx script tag');
    assert.ok(!html.includes('content=""><script'), 'the CSRF token cannot end its attribute');
    assert.match(
      html,
      /<title>&lt;script>alert\(&#34;x&#34;\)&lt;\/script> · Makenot\.work<\/title>/,
    );
    assert.match(html, /<span>@&lt;script>alert/);
  });

  test('no inline scripts, event handlers or style attributes (the CSP forbids them)', () => {
    const html = renderLayout({ user: { handle: 'mara', displayName: 'Mara' }, csrfToken: 't' });
    for (const script of html.match(/<script[^>]*>/g) ?? []) {
      assert.match(script, /src="\/assets\/htmx\.[0-9a-f]{10}\.js" defer/);
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
    assert.match(html, /creators keep 100% of fan revenue/i);
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

  test('signed-in people get a Dashboard link next to Discover', () => {
    const html = renderLayout({ user: { handle: 'mara', displayName: 'Mara' }, csrfToken: 't' });
    assert.match(html, /<a href="\/discover">Discover<\/a>/);
    assert.match(html, /<a href="\/dashboard">Dashboard<\/a>/);
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
