// The money journey of issue 6 in Chromium: a guest buys an audio item on the local checkout
// page, finds the receipt in the outbox, claims the purchase into a new account, plays it in
// full and downloads it from the library; the creator sees the sale, the chart and the pending
// balance. Screenshots land in test-results/screenshots/money-*.
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { lookAt } from '../helpers/accessibility.js';
import {
  signUpCreatorIn,
  startBrowserApp,
  watchForProblems,
  type BrowserApp,
} from '../helpers/browser-app.js';
import { audioForSale } from '../helpers/browser-catalogue.js';

let env: BrowserApp;
let browser: Browser;
let baseUrl: string;
let scratch: string;

before(async () => {
  env = await startBrowserApp({ runJobs: true });
  ({ browser, baseUrl } = env);
  scratch = await mkdtemp(path.join(tmpdir(), 'makenot-money-e2e-'));
});
after(async () => {
  await env.close();
  await rm(scratch, { recursive: true, force: true });
});

const look = (page: Page, name: string) => lookAt(page, `money-${name}`);

test('a guest buys, claims into a new account, plays and downloads; the creator sees the sale', async () => {
  const creatorContext = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const creatorPage = await creatorContext.newPage();
  const creatorProblems = watchForProblems(creatorPage);
  const { csrf } = await signUpCreatorIn(creatorPage, baseUrl, { prefix: 'ferry' });
  await creatorPage.goto(`${baseUrl}/dashboard`); // a page, so fetch() above has an origin
  const item = await audioForSale(env, creatorPage, csrf, {
    title: 'Night Ferry',
    project: 'Crossings',
    amount: 400,
    seconds: 40,
    scratch,
  });
  const itemPath = new URL(item.url).pathname;

  // The guest: item page → buy page → the local processor's page → thank-you page.
  const guestContext = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const guest = await guestContext.newPage();
  const guestProblems = watchForProblems(guest);
  const email = `ferry-fan-${Date.now()}@example.com`;
  await guest.goto(`${baseUrl}${itemPath}`);
  await guest.getByText(/30-second preview/).waitFor();
  await guest.getByRole('link', { name: 'Buy now' }).click();
  await guest.waitForURL(/\/buy\//);
  await guest.getByLabel('Your email').fill(email);
  await look(guest, '01-buy-page');
  await guest.getByRole('button', { name: 'Continue to payment' }).click();
  await guest.waitForURL(/\/pay\/local\//);
  await look(guest, '02-local-checkout');
  await guest.getByRole('button', { name: /^Pay / }).click();
  await guest.waitForURL(/\/claim\//);
  await guest.getByText('Create a free account').waitFor();
  await look(guest, '03-thank-you');

  // The receipt is in the outbox, with its claim link.
  await guest.goto(`${baseUrl}/dev/outbox`);
  await guest.getByRole('link', { name: 'Your receipt: Night Ferry' }).first().click();
  await guest.getByText(/Thank you for buying "Night Ferry"/).waitFor();
  await look(guest, '04-receipt');
  await guest.getByRole('link', { name: /\/claim\// }).click();

  // Claim it into a new account: the email is filled in, and sign-up comes back here.
  await guest.getByRole('link', { name: 'Create a free account' }).click();
  await guest.waitForURL(/\/join\?/);
  assert.equal(await guest.getByLabel('Email').inputValue(), email);
  await guest.getByLabel('Handle').fill(`fan${Date.now().toString(36)}`);
  await guest.getByLabel('Password', { exact: true }).fill('a long and private passphrase');
  await look(guest, '05-join-to-claim');
  await guest.getByRole('button', { name: 'Create account' }).click();
  await guest.waitForURL(/\/claim\//);
  await guest.getByRole('button', { name: 'Add to my library' }).click();
  await guest.waitForURL(/\/library$/);
  await look(guest, '06-library');

  // From the library: the item page plays in full (no preview notice) and downloads.
  await guest
    .getByRole('link', { name: /Night Ferry/ })
    .first()
    .click();
  await guest.getByRole('button', { name: 'Play Night Ferry' }).waitFor();
  assert.equal(await guest.getByText(/30-second preview/).count(), 0, 'the whole track is theirs');
  assert.equal(await guest.getByRole('link', { name: 'In your library' }).count(), 1);
  await guest.getByRole('button', { name: 'Play Night Ferry' }).click();
  await guest.waitForFunction(() => {
    const page = globalThis as unknown as {
      document: { querySelector(selector: string): { currentTime: number } };
    };
    return page.document.querySelector('[data-player-audio]').currentTime > 0.3;
  });
  const downloading = guest.waitForEvent('download');
  await guest
    .getByRole('link', { name: /Download/ })
    .first()
    .click();
  const download = await downloading;
  assert.match(download.suggestedFilename(), /Night Ferry/);
  await look(guest, '07-item-owned');

  // The creator: the sale, the chart and the pending balance.
  await creatorPage.goto(`${baseUrl}/dashboard/sales`);
  await creatorPage.getByText('Night Ferry').first().waitFor();
  await look(creatorPage, '08-creator-sales');
  await creatorPage.goto(`${baseUrl}/dashboard/earnings`);
  const chart = creatorPage.locator('svg[role="img"]').first();
  await chart.waitFor();
  assert.match((await creatorPage.textContent('main')) ?? '', /Pending/);
  assert.match((await creatorPage.textContent('main')) ?? '', /\$3\.58/);
  await look(creatorPage, '09-creator-earnings');
  await creatorPage.setViewportSize({ width: 390, height: 844 });
  await look(creatorPage, '10-creator-earnings-phone');

  assert.deepEqual(guestProblems, [], 'no console errors for the guest');
  assert.deepEqual(creatorProblems, [], 'no console errors for the creator');
  await guestContext.close();
  await creatorContext.close();
});
