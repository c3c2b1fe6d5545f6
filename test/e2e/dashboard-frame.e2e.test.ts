// The dashboard's frame in a real browser: at 1280 px the sections stand in a column beside the
// page, at 390 px in one row that scrolls sideways with the current section in view; nothing is
// wider than the screen, the keyboard reaches every section, and axe finds nothing serious.
// Screenshots land in test-results/screenshots/frame-*.png.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { Page } from 'playwright-core';
import { lookAt } from '../helpers/accessibility.js';
import {
  signUpCreatorIn,
  startBrowserApp,
  watchForProblems,
  type BrowserApp,
} from '../helpers/browser-app.js';

let env: BrowserApp;
before(async () => {
  env = await startBrowserApp();
});
after(() => env.close());

const SECTIONS = [
  'Overview',
  'Projects',
  'Sales',
  'Earnings',
  'Memberships',
  'Promo codes',
  'Payouts',
  'Settings',
];

async function look(page: Page, name: string) {
  await lookAt(page, `frame-${name}`);
  const overflow = await page.evaluate('document.documentElement.scrollWidth - window.innerWidth');
  assert.equal(overflow, 0, `${name} is wider than the viewport`);
}

test('the dashboard’s sections at 1280 and 390 px, by keyboard', async () => {
  const context = await env.browser.newContext({ viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  const problems = watchForProblems(page);
  const { csrf } = await signUpCreatorIn(page, env.baseUrl, { prefix: 'frame' });
  const made = await page.request.post(`${env.baseUrl}/api/v1/projects`, {
    data: { title: 'Harbour Lights' },
    headers: { 'x-csrf-token': csrf },
  });
  assert.equal(made.status(), 201);

  await page.goto(`${env.baseUrl}/dashboard/promo-codes`);
  const nav = page.getByRole('navigation', { name: 'Dashboard' });
  assert.deepEqual(await nav.getByRole('link').allTextContents(), SECTIONS);
  const current = nav.locator('[aria-current="page"]');
  assert.equal(await current.textContent(), 'Promo codes');
  // Wide: a column to the left of the page's content.
  const column = await nav.boundingBox();
  const content = await page.locator('.section-layout__content').boundingBox();
  assert.ok(column && content && column.x + column.width <= content.x, 'nav beside content');
  await look(page, 'promo-codes-1280');

  // The keyboard goes from the page's heading to each section in order.
  await page.locator('#page-title').focus();
  const reached: string[] = [];
  for (let i = 0; i < SECTIONS.length; i++) {
    await page.keyboard.press('Tab');
    reached.push(await page.evaluate('document.activeElement.textContent'));
  }
  assert.deepEqual(reached, SECTIONS);

  await page.goto(`${env.baseUrl}/dashboard/memberships`);
  await page.getByText('Harbour Lights').waitFor();
  await look(page, 'memberships-1280');

  // Narrow: one row above the content; the current section is scrolled into view.
  await page.setViewportSize({ width: 390, height: 844 });
  await page.goto(`${env.baseUrl}/dashboard/payouts/account`);
  const row = await nav.boundingBox();
  const payouts = await nav.getByRole('link', { name: 'Payouts' }).boundingBox();
  assert.ok(row && payouts, 'the row and its current link are there');
  assert.ok(payouts.y + payouts.height <= row.y + row.height, 'one row');
  assert.ok(payouts.x >= 0 && payouts.x + payouts.width <= 390, 'Payouts is in view');
  await look(page, 'payouts-390');

  await page.goto(`${env.baseUrl}/dashboard/promo-codes`);
  await look(page, 'promo-codes-390');
  await page.goto(`${env.baseUrl}/dashboard/memberships`);
  await look(page, 'memberships-390');

  assert.deepEqual(problems, []);
  await context.close();
});
