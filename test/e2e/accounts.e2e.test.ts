// The accounts journey in a real browser on the real app: join through the wizard, confirm the
// email from the outbox, sign out, sign in with the password, add a passkey (a virtual
// authenticator through the DevTools WebAuthn domain), sign out, sign in with the passkey alone.
// WebAuthn needs a secure context whose host is the RP ID, so the app's PUBLIC_URL and the
// browser both use http://localhost:<port>. A screenshot of each page lands in test-results/.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import type { TestApp } from '../helpers/app.js';
import { startBrowserApp, watchForProblems, type BrowserApp } from '../helpers/browser-app.js';
import { lookAt } from '../helpers/accessibility.js';
import { decodeBase32, totp } from '../../src/modules/accounts/totp.algorithm.js';

let env: BrowserApp;
let t: TestApp;
let browser: Browser;
let baseUrl: string;

before(async () => {
  env = await startBrowserApp();
  ({ t, browser, baseUrl } = env);
});
after(() => env.close());

/** Every page the journey looks at is also checked by axe-core. */
const shot = (page: Page, name: string) => lookAt(page, `accounts-${name}`);

async function signOut(page: Page) {
  await page.getByRole('button', { name: /^Account menu/ }).click();
  await page.getByRole('button', { name: 'Sign out' }).click();
  await page.waitForURL(`${baseUrl}/`);
  await page.getByRole('link', { name: 'Sign in' }).waitFor();
}

test('join, confirm, sign out, password sign-in, add a passkey, passkey sign-in', async () => {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  const problems = watchForProblems(page);

  const cdp = await context.newCDPSession(page);
  await cdp.send('WebAuthn.enable');
  const { authenticatorId } = await cdp.send('WebAuthn.addVirtualAuthenticator', {
    options: {
      protocol: 'ctap2',
      transport: 'internal',
      hasResidentKey: true,
      hasUserVerification: true,
      isUserVerified: true,
      automaticPresenceSimulation: true,
    },
  });

  const handle = `journey${Date.now().toString(36)}`;
  const email = `${handle}@example.com`;
  const password = 'a long and private passphrase';

  // 1. Join through the wizard.
  await page.goto(`${baseUrl}/join`);
  await shot(page, '01-join');
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(password);
  await page.getByLabel('Handle').fill(handle);
  await page.getByRole('button', { name: 'Create account' }).click();
  await page.getByLabel('Display name').waitFor();
  await shot(page, '02-join-profile');
  await page.getByLabel('Display name').fill('Journey Tester');
  await page.getByRole('button', { name: 'Continue' }).click();
  await page.getByRole('link', { name: 'Skip for now' }).waitFor();
  await shot(page, '03-join-create');
  await page.getByRole('link', { name: 'Skip for now' }).click();
  await page.getByText('One more thing: confirm your email').waitFor();
  await shot(page, '04-join-done');

  // 2. Open the confirmation link from the outbox.
  await page.goto(`${baseUrl}/dev/outbox`);
  await shot(page, '05-outbox');
  const row = page.getByRole('row').filter({ hasText: email });
  await row.getByRole('link', { name: 'Confirm your email address' }).click();
  const link = page.locator('a[href*="/verify-email?token="]');
  assert.match((await link.getAttribute('href')) ?? '', new RegExp(`^${baseUrl}/verify-email`));
  await link.click();
  await page.waitForURL(/\/verify-email\?token=/);
  assert.equal(await page.locator('main h1').count(), 1);
  await shot(page, '06-email-confirmed');
  const user = await t.runtime.db
    .selectFrom('users')
    .select(['id', 'email_verified_at'])
    .where('email', '=', email)
    .executeTakeFirstOrThrow();
  assert.ok(user.email_verified_at, 'the address is confirmed');

  // 3. Sign out, then in with the password.
  await signOut(page);
  await page.goto(`${baseUrl}/login`);
  await page.getByRole('button', { name: 'Sign in with a passkey' }).waitFor();
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password', { exact: true }).fill(password);
  await shot(page, '07-login');
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();
  await page.waitForURL(`${baseUrl}/`);
  await page.getByRole('button', { name: `Account menu, signed in as @${handle}` }).waitFor();

  // 4. Add a passkey from the security settings.
  await page.goto(`${baseUrl}/settings/security`);
  await page.getByRole('button', { name: 'Add a passkey' }).waitFor();
  await shot(page, '08-security-before');
  await page.getByLabel('Name (optional)').fill('Virtual laptop');
  await page.getByRole('button', { name: 'Add a passkey' }).click();
  await page.waitForURL(/\/settings\/security\?done=passkey_added/);
  await page.locator('.passkey__name', { hasText: 'Virtual laptop' }).waitFor();
  await shot(page, '09-security-passkey-added');
  const { credentials } = await cdp.send('WebAuthn.getCredentials', { authenticatorId });
  assert.equal(credentials.length, 1);
  assert.equal(credentials[0]?.isResidentCredential, true);

  // 5. Sign out, then in with the passkey alone: no email, no password.
  await signOut(page);
  await page.goto(`${baseUrl}/login`);
  await shot(page, '10-login-passkey');
  await page.getByRole('button', { name: 'Sign in with a passkey' }).click();
  await page.waitForURL(`${baseUrl}/`);
  await page.getByRole('button', { name: `Account menu, signed in as @${handle}` }).waitFor();
  await shot(page, '11-signed-in-with-passkey');

  const session = await t.runtime.db
    .selectFrom('sessions')
    .select('method')
    .where('user_id', '=', user.id)
    .orderBy('created_at', 'desc')
    .executeTakeFirstOrThrow();
  assert.equal(session.method, 'passkey');
  const passkey = await t.runtime.db
    .selectFrom('passkeys')
    .select(['name', 'last_used_at'])
    .where('user_id', '=', user.id)
    .executeTakeFirstOrThrow();
  assert.equal(passkey.name, 'Virtual laptop');
  assert.ok(passkey.last_used_at);

  assert.deepEqual(problems, [], 'no console errors or CSP violations');
  await context.close();
});

test('two-factor: set up an authenticator app, then sign in with a code', async () => {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  const problems = watchForProblems(page);
  const handle = `totp${Date.now().toString(36)}`;
  const email = `${handle}@example.com`;
  const password = 'another long private passphrase';
  const signup = await page.request.post(`${baseUrl}/api/v1/auth/signup`, {
    data: { email, password, handle },
  });
  assert.equal(signup.status(), 201);

  await page.goto(`${baseUrl}/settings/security#two-factor`);
  await page.getByRole('link', { name: 'Set up an authenticator app' }).click();
  await page.waitForURL(`${baseUrl}/settings/two-factor/setup`);
  const qr = page.locator('img.totp-qr');
  await qr.waitFor();
  const qrWidth = Number(await page.evaluate('document.querySelector("img.totp-qr").naturalWidth'));
  assert.ok(qrWidth > 0, 'the QR code image decodes');
  await shot(page, 'totp-01-setup');
  const secret = decodeBase32((await page.locator('.totp-key').textContent()) ?? '');
  await page.getByLabel('Code', { exact: true }).fill(totp(secret, Date.now()));
  await page.getByRole('button', { name: 'Turn on two-factor' }).click();
  await page.locator('.backup-codes__code').first().waitFor();
  assert.equal(await page.locator('.backup-codes__code').count(), 10);
  await shot(page, 'totp-02-backup-codes');
  await page.getByRole('link', { name: 'I’ve saved them' }).click();
  await page.locator('#two-factor .badge--success').waitFor();
  await shot(page, 'totp-03-security-on');

  await signOut(page);
  await page.goto(`${baseUrl}/login?next=%2Fsettings%2Fsecurity`);
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password', { exact: true }).fill(password);
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();
  await page.waitForURL(/\/login\/verify\?next=%2Fsettings%2Fsecurity$/);
  await page.getByLabel('Code', { exact: true }).fill('000000');
  await page.getByRole('button', { name: 'Verify and sign in' }).click();
  await page.locator('.form-problem').waitFor();
  await shot(page, 'totp-04-verify-wrong');
  // The setup used this step's code; a code is good once, so the next step's code signs in.
  await page.getByLabel('Code', { exact: true }).fill(totp(secret, Date.now() + 30_000));
  await page.getByRole('button', { name: 'Verify and sign in' }).click();
  await page.waitForURL(`${baseUrl}/settings/security`);
  await page.getByRole('button', { name: `Account menu, signed in as @${handle}` }).waitFor();

  // Chromium logs the wrong code's 422 answer as a failed load: that one was the point.
  const unexpected = problems.filter((p) => !p.includes('status of 422'));
  assert.deepEqual(unexpected, [], 'no other console errors or CSP violations');
  await context.close();
});
