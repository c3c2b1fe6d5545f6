// The search journey of issue 7 in Chromium, keyboard only: a visitor tabs to the search box,
// types a prefix, moves through the suggestions with the arrow keys (the combobox's active
// option follows) and opens one with Enter; a typo offers "did you mean". Items are published
// through the API first. Every page is screenshotted at desktop and phone width and checked
// with axe-core.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { describeViolations, seriousViolations } from '../helpers/accessibility.js';
import {
  signUpCreatorIn,
  startBrowserApp,
  watchForProblems,
  type BrowserApp,
} from '../helpers/browser-app.js';
import { screenshotPath } from '../helpers/browser.js';

let env: BrowserApp;
let browser: Browser;
let baseUrl: string;

before(async () => {
  env = await startBrowserApp();
  ({ browser, baseUrl } = env);
});
after(() => env.close());

/** Screenshots at 1280 and 390 px, each checked by axe and for sideways scrolling. */
async function look(page: Page, name: string) {
  for (const [suffix, width, height] of [
    ['desktop', 1280, 900],
    ['phone', 390, 844],
  ] as const) {
    await page.setViewportSize({ width, height });
    await page.screenshot({ path: screenshotPath(`search-${name}-${suffix}`), fullPage: true });
    const violations = await seriousViolations(page);
    assert.deepEqual(violations, [], `${name} ${suffix}:\n${describeViolations(violations)}`);
    const overflow = Number(
      await page.evaluate('document.documentElement.scrollWidth - window.innerWidth'),
    );
    assert.ok(overflow <= 0, `${name} ${suffix} is ${overflow}px wider than the viewport`);
  }
  await page.setViewportSize({ width: 1280, height: 900 });
}

/** Publishes text items in one project of the browser's creator, through the API. */
async function publishItems(page: Page, csrf: string, titles: readonly string[]) {
  const headers = { 'x-csrf-token': csrf };
  const project = await page.request.post(`${baseUrl}/api/v1/projects`, {
    data: { title: 'Tidal Archive' },
    headers,
  });
  assert.equal(project.status(), 201);
  const { project: p } = (await project.json()) as { project: { id: string } };
  for (const title of titles) {
    const made = await page.request.post(`${baseUrl}/api/v1/projects/${p.id}/items`, {
      data: {
        type: 'text',
        title,
        description: `${title}: slow ambient writing recorded by the sea.`,
        body: 'Waves, fog horns and gulls.',
        ai_disclosure: { tier: 'handmade' },
        price: { model: 'free' },
        tags: ['music/ambient'],
      },
      headers,
    });
    assert.equal(made.status(), 201);
    const { item } = (await made.json()) as { item: { id: string } };
    const published = await page.request.post(`${baseUrl}/api/v1/items/${item.id}/publish`, {
      headers,
    });
    assert.equal(published.status(), 200);
  }
}

/** Presses Tab until the search box has focus, as a keyboard user would. */
async function tabToSearchBox(page: Page) {
  for (let presses = 0; presses < 30; presses += 1) {
    await page.keyboard.press('Tab');
    if (await page.evaluate('document.activeElement?.id === "search-q"')) return;
  }
  assert.fail('Tab never reached the search box');
}

test('a visitor finds work with the keyboard: suggestions, arrows, Enter, did you mean', async () => {
  const creatorContext = await browser.newContext();
  const creatorPage = await creatorContext.newPage();
  const { csrf } = await signUpCreatorIn(creatorPage, baseUrl, { prefix: 'tides' });
  await publishItems(creatorPage, csrf, [
    'Ambient Tides',
    'Ambient Harbour Lights',
    'Ambient Fog Signals',
  ]);
  await creatorContext.close();

  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  const problems = watchForProblems(page);

  await page.goto(`${baseUrl}/search`);
  await look(page, '01-empty');

  // Type a prefix: the listbox opens and the live region says how many suggestions there are.
  await tabToSearchBox(page);
  const box = page.getByRole('combobox', { name: 'Search Makenot.work' });
  await page.keyboard.type('ambi', { delay: 40 });
  const listbox = page.getByRole('listbox', { name: 'Suggestions' });
  await listbox.waitFor();
  assert.equal(await box.getAttribute('aria-expanded'), 'true');
  const status = page.locator('[data-search-status]');
  await page.waitForFunction(
    `/^\\d+ suggestions?$/.test(document.querySelector('[data-search-status]')?.textContent ?? '')`,
  );
  const options = listbox.getByRole('option');
  const count = await options.count();
  assert.ok(count >= 3, `${count} suggestions`);
  assert.equal(await status.textContent(), `${count} suggestions`);
  assert.equal(await box.getAttribute('aria-activedescendant'), null);

  // The arrows move the active option; focus stays in the box.
  await page.keyboard.press('ArrowDown');
  assert.equal(await box.getAttribute('aria-activedescendant'), 'search-option-0');
  await page.keyboard.press('ArrowDown');
  assert.equal(await box.getAttribute('aria-activedescendant'), 'search-option-1');
  assert.equal(await options.nth(1).getAttribute('aria-selected'), 'true');
  assert.equal(await options.nth(0).getAttribute('aria-selected'), 'false');
  await page.keyboard.press('ArrowUp');
  await page.keyboard.press('ArrowUp');
  assert.equal(await box.getAttribute('aria-activedescendant'), `search-option-${count - 1}`);
  await page.keyboard.press('ArrowDown');
  await page.keyboard.press('ArrowDown');
  assert.equal(await box.getAttribute('aria-activedescendant'), 'search-option-1');
  assert.equal(await page.evaluate('document.activeElement?.id'), 'search-q', 'focus stays');
  await look(page, '02-suggestions');

  // Escape closes the list; ArrowDown opens it again.
  await page.keyboard.press('Escape');
  assert.equal(await box.getAttribute('aria-expanded'), 'false');
  assert.equal(await listbox.isHidden(), true);
  await page.keyboard.press('ArrowDown');
  assert.equal(await box.getAttribute('aria-expanded'), 'true');
  assert.equal(await box.getAttribute('aria-activedescendant'), 'search-option-0');
  await page.keyboard.press('ArrowDown');

  // Enter opens the active option's page.
  const href = await options.nth(1).getAttribute('href');
  const title = (await options.nth(1).locator('.search-suggest__title').textContent()) ?? '';
  assert.ok(href);
  await page.keyboard.press('Enter');
  await page.waitForURL(`${baseUrl}${href}`);
  await page.getByRole('heading', { level: 1, name: title }).waitFor();

  // A typo, submitted with Enter: the results page offers the right word.
  await page.goto(`${baseUrl}/search`);
  await tabToSearchBox(page);
  await page.keyboard.type('ambeint');
  await page.keyboard.press('Enter');
  await page.waitForURL(/\/search\?q=ambeint/);
  const didYouMean = page.locator('.search-suggestion').getByRole('link', { name: 'ambient' });
  await didYouMean.waitFor();
  await look(page, '03-did-you-mean');
  await didYouMean.focus();
  await page.keyboard.press('Enter');
  await page.waitForURL(/\/search\?q=ambient$/);
  await page.locator('.search-hit').first().waitFor();
  assert.match((await page.locator('.search-tabs').textContent()) ?? '', /Items\s*3/);
  await look(page, '04-results');

  // Discover's best sellers and a tag page's filters.
  await page.goto(`${baseUrl}/discover?sort=most-sold`);
  await look(page, '05-discover-most-sold');
  await page.goto(`${baseUrl}/tags/music?price=free`);
  await page.getByRole('link', { name: 'Ambient Tides' }).first().waitFor();
  await look(page, '06-tag-filtered');

  assert.deepEqual(problems, [], 'no console errors or CSP violations');
  await context.close();
});
