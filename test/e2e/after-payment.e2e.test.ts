// What a fan sees when the processor sends them back before it has told us the payment went
// through, in Chromium: the page they tipped on says the tip is being confirmed, then (htmx
// polling, no reload) that it was received; the memberships page says the membership is being
// confirmed, then welcomes them and lists it. The pages are opened before paying, so the
// "confirming" state is certain and the change has to come from the polling.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { lookAt } from '../helpers/accessibility.js';
import {
  signUpCreatorIn,
  startBrowserApp,
  watchForProblems,
  type BrowserApp,
} from '../helpers/browser-app.js';
import { tipThanksToken } from '../../src/modules/payments/tips.service.js';

let env: BrowserApp;
let browser: Browser;
let baseUrl: string;

before(async () => {
  env = await startBrowserApp({ runJobs: true });
  ({ browser, baseUrl } = env);
});
after(() => env.close());

const look = (page: Page, name: string) => lookAt(page, `after-payment-${name}`);

/** Marks the document, so a later check can tell the page was not reloaded. */
const mark = (page: Page) => page.evaluate('window.stillThisPage = true');
const stillThisPage = async (page: Page) =>
  (await page.evaluate('window.stillThisPage === true')) === true;

/** The creator's context: a creator who takes tips and has a project with a tier. */
async function creatorWithTier(): Promise<{ handle: string; projectPath: string; tierId: string }> {
  const context = await browser.newContext();
  const page = await context.newPage();
  const { handle, csrf } = await signUpCreatorIn(page, baseUrl, { prefix: 'thanks' });
  const headers = { 'x-csrf-token': csrf };
  const api = async (method: 'post' | 'patch', url: string, data: unknown) => {
    const res = await page.request[method](`${baseUrl}/api/v1${url}`, { data, headers });
    assert.ok(res.ok(), `${url}: ${res.status()} ${await res.text()}`);
    return (await res.json()) as Record<string, { id: string; url: string }>;
  };
  await api('patch', '/me/profile', { tips_enabled: true, display_name: 'Ada Lumen' });
  const { project } = await api('post', '/projects', { title: 'Tide Tables' });
  assert.ok(project);
  const { tier } = await api('post', `/projects/${project.id}/tiers`, {
    name: 'Harbour crew',
    monthly_price: 500,
  });
  assert.ok(tier);
  await context.close();
  return { handle, projectPath: new URL(project.url).pathname, tierId: tier.id };
}

test('a guest’s tip: being confirmed, then received, on the page they tipped on', async () => {
  const { handle } = await creatorWithTier();
  const context = await browser.newContext({ viewport: { width: 390, height: 844 } });
  const page = await context.newPage();
  const problems = watchForProblems(page);
  await page.goto(`${baseUrl}/@${handle}`);
  await page.getByLabel('Your email').fill('tipper@example.com');
  await page.getByRole('button', { name: 'Continue to payment' }).click();
  await page.waitForURL(/\/pay\/local\//);
  const order = await env.t.runtime.db
    .selectFrom('orders')
    .innerJoin('users', 'users.id', 'orders.creator_id')
    .select('orders.id')
    .where('users.handle', '=', handle)
    .where('orders.kind', '=', 'tip')
    .executeTakeFirstOrThrow();
  const back = `${baseUrl}/@${handle}?tipped=${tipThanksToken(env.t.runtime.config.appSecret, order.id)}`;

  // the page the processor sends them back to, opened before the payment is made
  const thanks = await context.newPage();
  const thanksProblems = watchForProblems(thanks);
  await thanks.goto(back);
  const status = thanks.locator('#tip-thanks[role="status"]');
  await status.getByText('Thank you! Your tip to Ada Lumen is being confirmed.').waitFor();
  await look(thanks, 'tip-confirming');
  await mark(thanks);

  await page.getByRole('button', { name: /^Pay / }).click();
  await page.waitForURL(back);
  await status.getByText('Thank you! Your tip to Ada Lumen was received.').waitFor();
  assert.ok(await stillThisPage(thanks), 'the notice changed in place, no reload');
  await look(thanks, 'tip-received');
  await page.locator('#tip-thanks').getByText('was received').waitFor();
  assert.deepEqual([...problems, ...thanksProblems], []);
  await context.close();
});

test('a fan’s membership: being confirmed, then welcomed and listed', async () => {
  const { tierId } = await creatorWithTier();
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  const problems = watchForProblems(page);
  const handle = `member${Date.now().toString(36)}`;
  const signup = await page.request.post(`${baseUrl}/api/v1/auth/signup`, {
    data: { email: `${handle}@example.com`, password: 'a long and private passphrase', handle },
  });
  assert.equal(signup.status(), 201);
  const csrf = (await (await page.request.get(`${baseUrl}/api/v1/auth/csrf`)).json()) as {
    token: string;
  };
  const joined = await page.request.post(`${baseUrl}/api/v1/memberships`, {
    data: { tier_id: tierId, interval: 'month' },
    headers: { 'x-csrf-token': csrf.token },
  });
  assert.equal(joined.status(), 201);
  const { order, checkout_url } = (await joined.json()) as {
    order: { id: string };
    checkout_url: string;
  };

  const back = `${baseUrl}/library/memberships?order=${order.id}`;
  const mine = await context.newPage();
  const mineProblems = watchForProblems(mine);
  await mine.goto(back);
  const status = mine.locator('#join-status[role="status"]');
  await status.getByText('We are confirming your Tide Tables membership').waitFor();
  assert.equal(await mine.getByText('No memberships yet').count(), 0);
  await look(mine, 'membership-confirming');
  await mark(mine);

  await page.goto(checkout_url);
  await page.getByRole('button', { name: /^Pay / }).click();
  await page.waitForURL(back);
  await status.getByText('Welcome! You are a member of Tide Tables.').waitFor();
  await mine.getByText('Harbour crew, monthly. Renews').waitFor();
  assert.ok(await stillThisPage(mine), 'the notice and the list changed in place');
  await look(mine, 'membership-welcome');
  assert.deepEqual([...problems, ...mineProblems], []);
  await context.close();
});
