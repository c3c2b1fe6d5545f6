// Payout-account onboarding with the local processor, as a creator does it: the dashboard page
// sends them to the processor's onboarding page, finishing it brings them back, the account is
// then ready and only then paid by the weekly run. The JSON API says the same, to creators only.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { createTestApp, type TestApp } from '../../../test/helpers/app.js';
import { send } from '../../../test/helpers/http.js';
import {
  call,
  signUpCreator,
  signUpFan,
  type Creator,
  type Err,
} from '../catalog/catalog.test-helpers.js';
import { csrfIn, post } from '../catalog/dashboard/dashboard.test-helpers.js';
import { availableNow } from '../ledger/ledger.test-helpers.js';
import { LocalProcessor } from '../payments/local/local-processor.js';
import type { PaymentProcessor } from '../payments/processor.js';
import { schedulePayouts } from './payouts.service.js';

let t: TestApp;
let processor: PaymentProcessor;

before(async () => {
  t = await createTestApp();
  processor = new LocalProcessor(t.runtime.db, t.runtime.config);
});
after(() => t.close());

const PAGE = '/dashboard/payouts/account';

async function withAvailable(creator: Creator, amount: number) {
  await availableNow(t.runtime.db, creator.id, amount);
}

async function paidOut(creator: Creator): Promise<boolean> {
  await schedulePayouts({ db: t.runtime.db, processor });
  const row = await t.runtime.db
    .selectFrom('payouts')
    .select('id')
    .where('creator_id', '=', creator.id)
    .executeTakeFirst();
  return row !== undefined;
}

const account = async (creator: Creator) =>
  (await call(t.app, creator, 'GET', '/me/payout-account')).json<{
    account: { destination: string; ready: boolean } | null;
  }>().account;

test('a creator connects a payout account from the dashboard and is paid only once it is ready', async () => {
  const creator = await signUpCreator(t.app);
  await withAvailable(creator, 2500);
  assert.equal(await account(creator), null);

  const page = await send(t.app, creator.jar, { url: PAGE });
  assert.equal(page.statusCode, 200);
  assert.match(page.body, /<h1[^>]*>Payout account<\/h1>/);
  assert.match(page.body, /You have no payout account yet/);
  assert.match(page.body, />Connect payout account</);

  // The button goes to the processor's onboarding page.
  const started = await post(t.app, creator.jar, `${PAGE}/onboarding`, csrfIn(page.body), {});
  assert.equal(started.statusCode, 303);
  const onboarding = new URL(String(started.headers.location));
  assert.match(onboarding.pathname, /^\/pay\/local\/connect\/acct_local_[\w-]+$/);
  const accountId = onboarding.pathname.split('/').at(-1);
  assert.deepEqual(await account(creator), { destination: accountId, ready: false });
  assert.equal(await paidOut(creator), false, 'no payout before onboarding is finished');

  // Leaving before the end: the page says setup is not finished and offers to continue.
  const early = await send(t.app, creator.jar, { url: `${PAGE}/return` });
  assert.equal(early.statusCode, 303);
  assert.equal(early.headers.location, `${PAGE}?done=pending`);
  const pending = await send(t.app, creator.jar, { url: `${PAGE}?done=pending` });
  assert.match(pending.body, /Setup is not finished yet/);
  assert.match(pending.body, />Continue setup</);

  // The processor's page: a card with a button that finishes setup.
  const local = await send(t.app, creator.jar, { url: onboarding.pathname });
  assert.equal(local.statusCode, 200);
  assert.match(local.body, /Finish setting up payouts/);
  const finished = await post(t.app, creator.jar, onboarding.pathname, csrfIn(local.body), {});
  assert.equal(finished.statusCode, 303);
  assert.equal(finished.headers.location, `http://localhost:3000${PAGE}/return`);

  const back = await send(t.app, creator.jar, { url: `${PAGE}/return` });
  assert.equal(back.headers.location, `${PAGE}?done=ready`);
  const ready = await send(t.app, creator.jar, { url: `${PAGE}?done=ready` });
  assert.match(ready.body, /Your payout account is ready/);
  assert.match(ready.body, /Ready: payouts go here/);
  assert.doesNotMatch(ready.body, />Continue setup</);
  assert.deepEqual(await account(creator), { destination: accountId, ready: true });
  assert.equal(await paidOut(creator), true);
});

test('onboarding again keeps the same account; a stale link comes back with a notice', async () => {
  const creator = await signUpCreator(t.app);
  const first = await call(t.app, creator, 'POST', '/me/payout-account/onboarding');
  assert.equal(first.statusCode, 200, first.body);
  const second = await call(t.app, creator, 'POST', '/me/payout-account/onboarding');
  assert.equal(second.json<{ url: string }>().url, first.json<{ url: string }>().url);
  const stale = await send(t.app, creator.jar, { url: `${PAGE}?link=expired` });
  assert.match(stale.body, /That setup link expired/);
});

test('an account named directly (PUT) is ready, as before onboarding existed', async () => {
  const creator = await signUpCreator(t.app);
  await withAvailable(creator, 1500);
  await call(t.app, creator, 'POST', '/me/payout-account/onboarding');
  assert.equal((await account(creator))?.ready, false, 'an unfinished onboarding');
  assert.equal((await call(t.app, creator, 'PUT', '/me/payout-account', {})).statusCode, 200);
  assert.equal((await account(creator))?.ready, true);
  assert.equal(await paidOut(creator), true);
});

test('fans may not have payout accounts; signed-out visitors are sent to sign in', async () => {
  const fan = await signUpFan(t.app);
  for (const [method, url] of [
    ['GET', '/me/payout-account'],
    ['POST', '/me/payout-account/onboarding'],
  ] as const) {
    const res = await call(t.app, fan, method, url);
    assert.equal(res.statusCode, 403, `${method} ${url}`);
    assert.equal(res.json<Err>().error.code, 'NOT_A_CREATOR');
  }
  assert.equal((await send(t.app, fan.jar, { url: PAGE })).statusCode, 403);
  const anonymous = await t.app.inject({ url: PAGE });
  assert.equal(anonymous.statusCode, 303);
  assert.match(String(anonymous.headers.location), /^\/login\?next=/);
  const api = await t.app.inject({ url: '/api/v1/me/payout-account' });
  assert.equal(api.statusCode, 401);
});
