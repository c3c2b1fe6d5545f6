// Issue 14's journey in Chromium: a guest pays for a track and an essay and opens both with no
// account, on the thank-you page and, in a fresh browser with no cookies, through the receipt's
// link: the whole essay, the whole track (not the preview), and a download named
// "Artist - Title.wav". No account is made. Screenshots in test-results/screenshots/guest-*.
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
import { audioForSale, textForSale } from '../helpers/browser-catalogue.js';

let env: BrowserApp;
let browser: Browser;
let baseUrl: string;
let scratch: string;

before(async () => {
  env = await startBrowserApp({ runJobs: true });
  ({ browser, baseUrl } = env);
  scratch = await mkdtemp(path.join(tmpdir(), 'makenot-guest-e2e-'));
});
after(async () => {
  await env.close();
  await rm(scratch, { recursive: true, force: true });
});

const look = (page: Page, name: string) => lookAt(page, `guest-${name}`);

const PAID_WORDS = 'Past the breakwater the keeper kept a second, secret light.';

/** Item page → buy page → the local processor's page → the thank-you page, as a guest. */
async function buyAsGuest(page: Page, itemUrl: string, email: string, shot: string) {
  await page.goto(`${baseUrl}${new URL(itemUrl).pathname}`);
  await page.getByRole('link', { name: 'Buy now' }).first().click();
  await page.waitForURL(/\/buy\//);
  await page.getByLabel('Your email').fill(email);
  await page.getByRole('button', { name: 'Continue to payment' }).click();
  await page.waitForURL(/\/pay\/local\//);
  await page.getByRole('button', { name: /^Pay / }).click();
  await page.waitForURL(/\/claim\//);
  // the page polls until the processor's confirmation is applied, then opens the purchase
  await page.getByRole('heading', { name: 'Keep it in a free account' }).waitFor();
  await look(page, shot);
  return new URL(page.url()).pathname;
}

/** The receipt's link, as the guest's mail holds it. */
async function receiptLink(email: string, title: string): Promise<string> {
  const mail = await env.t.runtime.db
    .selectFrom('mail_messages')
    .select('text_body')
    .where('to_address', '=', email)
    .where('subject', '=', `Your receipt: ${title}`)
    .executeTakeFirstOrThrow();
  const link = /https?:\/\/\S+\/claim\/\S+/.exec(mail.text_body)?.[0];
  assert.ok(link, 'the receipt holds the purchase link');
  return new URL(link).pathname;
}

test('a guest pays and opens the whole purchase without an account, in any browser', async () => {
  const creatorContext = await browser.newContext();
  const creatorPage = await creatorContext.newPage();
  const { csrf } = await signUpCreatorIn(creatorPage, baseUrl, { prefix: 'harbour' });
  await creatorPage.goto(`${baseUrl}/dashboard`);
  const track = await audioForSale(env, creatorPage, csrf, {
    title: 'Harbour Lights',
    project: 'Night Songs',
    amount: 300,
    seconds: 45,
    scratch,
  });
  const essay = await textForSale(env, creatorPage, csrf, {
    title: 'The Second Light',
    project: 'Essays',
    amount: 500,
    body: `The lighthouse stood where the river met the sea.\n\n<!-- paywall -->\n\n${PAID_WORDS}`,
  });
  const creatorName = await env.t.runtime.db
    .selectFrom('items')
    .innerJoin('users', 'users.id', 'items.creator_id')
    .select('users.display_name')
    .where('items.id', '=', track.id)
    .executeTakeFirstOrThrow();
  await creatorContext.close();

  const email = `guest-${Date.now()}@example.com`;
  const guestContext = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const guest = await guestContext.newPage();
  const problems = watchForProblems(guest);

  // The essay: the item page shows the free part and the break; the thank-you page all of it.
  await guest.goto(`${baseUrl}${new URL(essay.url).pathname}`);
  await guest.getByText('The rest is for those who buy it.').waitFor();
  assert.equal(await guest.getByText(PAID_WORDS).count(), 0);
  await look(guest, '01-essay-paywall');
  await buyAsGuest(guest, essay.url, email, '02-essay-thank-you');
  await guest.getByText(PAID_WORDS).waitFor();
  assert.match((await guest.textContent('main')) ?? '', /A receipt was sent to/);
  assert.match((await guest.textContent('main')) ?? '', /Processor fee/);

  // The track: the whole of it plays on the thank-you page, and it downloads.
  const trackPage = await buyAsGuest(guest, track.url, email, '03-track-thank-you');
  const play = guest.getByRole('button', { name: 'Play Harbour Lights' });
  await play.waitFor();
  assert.equal(await guest.getByText(/second preview/).count(), 0, 'the whole track, no preview');
  await play.click();
  const duration = await guest.waitForFunction(() => {
    const page = globalThis as unknown as {
      document: { querySelector(selector: string): { duration: number; currentTime: number } };
    };
    const audio = page.document.querySelector('[data-player-audio]');
    return audio.currentTime > 0.3 && Number.isFinite(audio.duration) ? audio.duration : 0;
  });
  assert.ok((await duration.jsonValue()) > 40, 'the full 45 s, not a 30 s clip');
  const downloading = guest.waitForEvent('download');
  await guest
    .getByRole('link', { name: /^Download/ })
    .first()
    .click();
  const download = await downloading;
  assert.equal(download.suggestedFilename(), `${creatorName.display_name} - Harbour Lights.wav`);
  assert.ok(trackPage.startsWith('/claim/'));

  // A fresh browser (no cookies, another device): the receipt's links open both purchases.
  const elsewhere = await browser.newContext({ viewport: { width: 390, height: 844 } });
  const phone = await elsewhere.newPage();
  const phoneProblems = watchForProblems(phone);
  await phone.goto(`${baseUrl}${await receiptLink(email, 'The Second Light')}`);
  await phone.getByText(PAID_WORDS).waitFor();
  await look(phone, '04-essay-from-receipt-phone');
  await phone.goto(`${baseUrl}${await receiptLink(email, 'Harbour Lights')}`);
  await phone.getByRole('button', { name: 'Play Harbour Lights' }).waitFor();
  const phoneDownload = phone.waitForEvent('download');
  await phone
    .getByRole('link', { name: /^Download/ })
    .first()
    .click();
  assert.match((await phoneDownload).suggestedFilename(), / - Harbour Lights\.wav$/);
  await look(phone, '05-track-from-receipt-phone');

  const accounts = await env.t.runtime.db
    .selectFrom('users')
    .select('id')
    .where('email', '=', email)
    .execute();
  assert.equal(accounts.length, 0, 'no account was made');
  assert.deepEqual(problems, [], 'no console errors');
  assert.deepEqual(phoneProblems, [], 'no console errors on the phone');
  await elsewhere.close();
  await guestContext.close();
});
