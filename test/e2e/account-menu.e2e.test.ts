// The header's account menu in a real browser: a fan and a creator at 1280 and 375 px (header
// closed and open, screenshotted and checked with axe-core, nothing off-screen), the menu by
// keyboard alone (Enter and Space open it, Tab walks it, Escape closes it and gives focus back),
// and without JavaScript (the toggle is a link to /settings, the sign-out button stays).
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

async function signUpFanIn(page: Page): Promise<string> {
  const handle = `fan${Date.now().toString(36)}`;
  const signup = await page.request.post(`${baseUrl}/api/v1/auth/signup`, {
    data: {
      email: `${handle}@example.com`,
      password: 'a long and private passphrase',
      handle,
      display_name: 'Finn Listener',
    },
  });
  assert.equal(signup.status(), 201);
  return handle;
}

const toggleOf = (page: Page) => page.getByRole('button', { name: /^Account menu, signed in as/ });
const panelOf = (page: Page) => page.locator('#account-menu');

/** The links in the open menu, as "name href". */
async function menuLinks(page: Page): Promise<string[]> {
  const links: unknown = await page.evaluate(
    `Array.from(document.querySelectorAll('#account-menu a'), (a) => a.textContent.trim() + ' ' + a.getAttribute('href'))`,
  );
  assert.ok(Array.isArray(links));
  return links.map(String);
}

/** What the keyboard is on: its text, and which menu it controls (the toggle). */
async function focused(page: Page): Promise<{ text: string; controls: string | null }> {
  const text: unknown = await page.evaluate('document.activeElement.textContent.trim()');
  const controls: unknown = await page.evaluate(
    `document.activeElement.getAttribute('aria-controls')`,
  );
  return { text: String(text), controls: typeof controls === 'string' ? controls : null };
}

async function checkAxe(page: Page, label: string) {
  const violations = await seriousViolations(page);
  assert.deepEqual(violations, [], `${label}:\n${describeViolations(violations)}`);
}

async function lookAtHeader(page: Page, who: string) {
  for (const [suffix, width, height] of [
    ['1280', 1280, 800],
    ['375', 375, 740],
  ] as const) {
    await page.setViewportSize({ width, height });
    await page.goto(`${baseUrl}/discover`);
    const toggle = toggleOf(page);
    await toggle.waitFor();
    const header = page.locator('header.site-header');
    await header.screenshot({ path: screenshotPath(`account-menu-${who}-${suffix}-closed`) });
    await checkAxe(page, `${who} ${suffix} closed`);

    await toggle.click();
    assert.equal(await toggle.getAttribute('aria-expanded'), 'true');
    const panel = panelOf(page);
    assert.ok(await panel.isVisible(), 'the list shows');
    const box = await panel.boundingBox();
    assert.ok(box, 'the panel has a box');
    assert.ok(box.x >= 0 && box.x + box.width <= width, `${who} ${suffix}: panel on screen`);
    const overflow = Number(
      await page.evaluate('document.documentElement.scrollWidth - window.innerWidth'),
    );
    assert.ok(overflow <= 0, `${who} ${suffix}: page is ${overflow}px wider than the viewport`);
    await page.screenshot({
      path: screenshotPath(`account-menu-${who}-${suffix}-open`),
      clip: { x: 0, y: 0, width, height: Math.min(height, box.y + box.height + 16) },
    });
    await checkAxe(page, `${who} ${suffix} open`);
    // a click elsewhere (away from the panel) closes it
    await page.mouse.click(8, height - 8);
    assert.equal(await toggle.getAttribute('aria-expanded'), 'false');
    assert.equal(await panel.isVisible(), false);
  }
  await page.setViewportSize({ width: 1280, height: 800 });
}

test('a creator’s and a fan’s header at 1280 and 375 px, closed and open', async () => {
  const creatorContext = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  const creator = await creatorContext.newPage();
  const creatorProblems = watchForProblems(creator);
  const { handle } = await signUpCreatorIn(creator, baseUrl, { prefix: 'menu' });
  await lookAtHeader(creator, 'creator');
  await toggleOf(creator).click();
  assert.deepEqual(await menuLinks(creator), [
    `Your public page /@${handle}`,
    'Library /library',
    'Dashboard /dashboard',
    'Settings /settings',
  ]);
  assert.deepEqual(creatorProblems, []);
  await creatorContext.close();

  const fanContext = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  const fan = await fanContext.newPage();
  const fanProblems = watchForProblems(fan);
  const fanHandle = await signUpFanIn(fan);
  await lookAtHeader(fan, 'fan');
  await toggleOf(fan).click();
  assert.ok(await fan.getByText('Finn Listener', { exact: true }).isVisible(), 'their name');
  // fans have no page yet: nothing in the header leads to /@handle (a 404 for them)
  assert.deepEqual(await menuLinks(fan), [
    'Library /library',
    'Start creating /join/create',
    'Settings /settings',
  ]);
  assert.equal(await fan.locator(`header a[href="/@${fanHandle}"]`).count(), 0);
  assert.equal(await fan.locator('header a[href="/dashboard"]').count(), 0);
  await fan.getByRole('link', { name: 'Settings' }).click();
  await fan.waitForURL(`${baseUrl}/settings`);
  await toggleOf(fan).click();
  await fan.getByRole('button', { name: 'Sign out' }).click();
  await fan.waitForURL(`${baseUrl}/`);
  await fan.getByRole('link', { name: 'Sign in' }).waitFor();
  assert.deepEqual(fanProblems, []);
  await fanContext.close();
});

test('the menu by keyboard: Enter and Space open it, Tab walks it, Escape closes it', async () => {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  const page = await context.newPage();
  const problems = watchForProblems(page);
  const { handle } = await signUpCreatorIn(page, baseUrl, { prefix: 'keys' });
  await page.goto(`${baseUrl}/discover`);
  const toggle = toggleOf(page);
  const focusedText = async () => (await focused(page)).text;

  // Tab from the search box reaches the toggle: it is the next stop in the header
  await page.locator('#header-search-q').focus();
  await page.keyboard.press('Tab'); // the search button
  await page.keyboard.press('Tab');
  assert.equal((await focused(page)).controls, 'account-menu');
  assert.equal(await toggle.getAttribute('aria-expanded'), 'false');
  await page.keyboard.press('Enter');
  assert.equal(await toggle.getAttribute('aria-expanded'), 'true');
  await page.keyboard.press('Tab');
  assert.equal(await focusedText(), 'Your public page');
  await page.keyboard.press('Tab');
  assert.equal(await focusedText(), 'Library');
  await page.keyboard.press('Escape');
  assert.equal(await toggle.getAttribute('aria-expanded'), 'false');
  assert.equal(await panelOf(page).isVisible(), false);
  assert.equal((await focused(page)).controls, 'account-menu', 'Escape gives focus back');

  await page.keyboard.press('Space');
  assert.equal(await toggle.getAttribute('aria-expanded'), 'true');
  for (const name of ['Your public page', 'Library', 'Dashboard', 'Settings', 'Sign out']) {
    await page.keyboard.press('Tab');
    assert.equal(await focusedText(), name);
  }
  // Tab out of the menu closes it
  await page.keyboard.press('Tab');
  assert.equal(await toggle.getAttribute('aria-expanded'), 'false');

  await toggle.focus();
  await page.keyboard.press('Enter');
  await page.keyboard.press('Tab');
  await page.keyboard.press('Enter');
  await page.waitForURL(`${baseUrl}/@${handle}`);
  assert.deepEqual(problems, []);
  await context.close();
});

test('without JavaScript the toggle is a link to /settings and Sign out stays', async () => {
  const context = await browser.newContext({
    viewport: { width: 375, height: 740 },
    javaScriptEnabled: false,
  });
  const page = await context.newPage();
  const handle = await signUpFanIn(page);
  await page.goto(`${baseUrl}/discover`);
  const link = page.getByRole('link', { name: `Account menu, signed in as @${handle}` });
  assert.equal(await link.getAttribute('href'), '/settings');
  assert.equal(await panelOf(page).isVisible(), false);
  assert.ok(await page.getByRole('button', { name: 'Sign out' }).isVisible());
  await page.locator('header.site-header').screenshot({
    path: screenshotPath('account-menu-fan-375-no-js'),
  });
  await link.click();
  await page.waitForURL(`${baseUrl}/settings`);
  await page.getByRole('button', { name: 'Sign out' }).click();
  await page.waitForURL(`${baseUrl}/`);
  await page.getByRole('link', { name: 'Sign in' }).waitFor();
  await context.close();
});
