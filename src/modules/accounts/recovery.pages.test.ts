// Recovery through the real app and the outbox: the reset mail is sent by a job, which the
// tests take from the queue and run themselves (no waiting on a worker), then follow the link
// from the mail the way a person would.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { sql } from 'kysely';
import { createTestApp, type TestApp } from '../../../test/helpers/app.js';
import { signUp, type TestUser } from '../../../test/helpers/factories.js';
import { newJar, send, type Jar } from '../../../test/helpers/http.js';
import type { JobContext } from '../../platform/jobs/task.js';
import { createLogger } from '../../platform/log.js';
import { recoveryTasks, sendResetJob, sendVerificationJob } from './recovery.service.js';

let t: TestApp;
before(async () => {
  t = await createTestApp();
});
after(() => t.close());

const context: JobContext = {
  log: createLogger({ logLevel: 'silent' }, 'test'),
  jobId: 'test',
  attempt: 1,
  maxAttempts: 1,
  signal: new AbortController().signal,
};

/** Takes the queued jobs of a task off the queue and runs them, as a worker would. */
async function runQueued(task: string): Promise<number> {
  const definition = recoveryTasks({ db: t.runtime.db, config: t.runtime.config }).find(
    (d) => d.name === task,
  );
  assert.ok(definition);
  const taken = await sql<{ payload: unknown }>`
    delete from graphile_worker._private_jobs j using graphile_worker._private_tasks k
    where k.id = j.task_id and k.identifier = ${task} returning j.payload`.execute(t.runtime.db);
  for (const row of taken.rows)
    await definition.run(definition.payload.parse(row.payload), context);
  return taken.rows.length;
}

/** The path and query of the newest link of this kind mailed to the address. */
async function mailedLink(to: string, path: string): Promise<string> {
  const mail = await t.runtime.db
    .selectFrom('mail_messages')
    .select('text_body')
    .where('to_address', '=', to)
    .orderBy('created_at', 'desc')
    .execute();
  for (const { text_body } of mail) {
    const url = new RegExp(`https?://\\S+${path}\\?token=[\\w-]+`).exec(text_body)?.[0];
    if (url) {
      const { pathname, search } = new URL(url);
      return pathname + search;
    }
  }
  assert.fail(`no ${path} link mailed to ${to}`);
}

function post(jar: Jar, url: string, form: Record<string, string>) {
  return send(t.app, jar, { url, form: { _csrf: '', ...form } });
}

async function requestReset(user: TestUser): Promise<string> {
  const res = await post(newJar(), '/forgot-password', { email: user.email });
  assert.equal(res.statusCode, 200);
  assert.equal(await runQueued(sendResetJob.name), 1);
  return mailedLink(user.email, '/reset-password');
}

describe('forgot password', () => {
  test('known and unknown addresses get the identical answer', async () => {
    const user = await signUp(t.app);
    const known = await post(newJar(), '/forgot-password', { email: user.email });
    const unknown = await post(newJar(), '/forgot-password', {
      email: `nobody-${user.handle}@example.com`,
    });
    assert.equal(known.statusCode, 200);
    assert.equal(unknown.statusCode, 200);
    assert.equal(known.body, unknown.body);
    assert.deepEqual(Object.keys(known.headers).sort(), Object.keys(unknown.headers).sort());
    assert.match(known.body, /If an account uses that address/);
    // both were queued; only the job knows which address has an account
    assert.equal(await runQueued(sendResetJob.name), 2);
    const mails = await t.runtime.db
      .selectFrom('mail_messages')
      .select('to_address')
      .where('subject', '=', 'Reset your password')
      .execute();
    assert.deepEqual(
      mails.map((m) => m.to_address),
      [user.email],
    );
  });

  test('a malformed address is a 422; too many requests from one network a 429', async () => {
    const bad = await post(newJar(), '/forgot-password', { email: 'nope' });
    assert.equal(bad.statusCode, 422);
    assert.match(bad.body, /aria-invalid="true"/);
    const { ip } = newJar();
    let last;
    for (let i = 0; i < 21; i++) {
      last = await post({ ...newJar(), ip }, '/forgot-password', { email: `n${i}@example.com` });
    }
    assert.ok(last);
    assert.equal(last.statusCode, 429);
    assert.ok(Number(last.headers['retry-after']) > 0);
    await runQueued(sendResetJob.name);
  });

  test('over the per-address limit nothing more is sent, and the answer does not change', async () => {
    const user = await signUp(t.app);
    const answers = [];
    for (let i = 0; i < 4; i++) {
      answers.push(await post(newJar(), '/forgot-password', { email: user.email }));
    }
    assert.deepEqual(
      answers.map((a) => a.statusCode),
      [200, 200, 200, 200],
    );
    assert.equal(new Set(answers.map((a) => a.body)).size, 1);
    assert.equal(await runQueued(sendResetJob.name), 3);
  });
});

describe('reset password', () => {
  test('the mailed link sets a new password once, ends every session and says so at sign-in', async () => {
    const user = await signUp(t.app);
    const link = await requestReset(user);
    const jar = newJar();
    const form = await send(t.app, jar, { url: link });
    assert.equal(form.statusCode, 200);
    assert.equal(form.headers['referrer-policy'], 'no-referrer');
    assert.equal(form.headers['cache-control'], 'no-store');
    const token = new URL(link, 'http://x').searchParams.get('token') ?? '';
    assert.match(form.body, new RegExp(`name="token" value="${token}"`));
    // looking at the form does not use the link up
    assert.equal((await send(t.app, jar, { url: link })).statusCode, 200);

    const password = 'a brand new lantern';
    const done = await post(jar, '/reset-password', {
      token,
      password,
      password_confirm: password,
    });
    assert.equal(done.statusCode, 303);
    assert.equal(done.headers.location, '/login?reset=1');
    assert.equal((await send(t.app, user.jar, { url: '/api/v1/me' })).statusCode, 401);

    const login = (pw: string) => post(newJar(), '/login', { email: user.email, password: pw });
    assert.equal((await login(user.password)).statusCode, 422);
    assert.equal((await login(password)).statusCode, 303);

    // single use
    const again = await send(t.app, newJar(), { url: link });
    assert.equal(again.statusCode, 400);
    assert.match(again.body, /href="\/forgot-password"/);
    const replay = await post(newJar(), '/reset-password', {
      token,
      password: 'yet another password',
      password_confirm: 'yet another password',
    });
    assert.equal(replay.statusCode, 400);
  });

  test('a reset revokes every personal access token, and the page, the notice and the mail say so', async () => {
    const user = await signUp(t.app);
    const created = await send(t.app, newJar(), {
      url: '/api/v1/auth/tokens',
      json: { email: user.email, password: user.password, name: 'left behind' },
    });
    assert.equal(created.statusCode, 201);
    const headers = { authorization: `Bearer ${created.json<{ token: string }>().token}` };
    const link = await requestReset(user);
    const form = await send(t.app, newJar(), { url: link });
    assert.match(form.body, /every personal access token is revoked/);
    const token = new URL(link, 'http://x').searchParams.get('token') ?? '';
    const password = 'recovered at last, truly';
    const done = await post(newJar(), '/reset-password', {
      token,
      password,
      password_confirm: password,
    });
    assert.equal(done.statusCode, 303);
    assert.equal((await send(t.app, newJar(), { url: '/api/v1/me', headers })).statusCode, 401);
    const notice = await send(t.app, newJar(), { url: '/login?reset=1' });
    assert.match(notice.body, /every access token was revoked/);
    const mail = await t.runtime.db
      .selectFrom('mail_messages')
      .select('text_body')
      .where('to_address', '=', user.email)
      .where('subject', '=', 'Your password was changed')
      .executeTakeFirstOrThrow();
    assert.match(mail.text_body, /1 personal access token was revoked/);
    const event = await t.runtime.db
      .selectFrom('security_events')
      .select('details')
      .where('user_id', '=', user.id)
      .where('type', '=', 'password_reset')
      .executeTakeFirstOrThrow();
    assert.deepEqual(event.details, { sessions_ended: 1, tokens_revoked: 1 });
  });

  test('an expired link shows the page that asks for a new one', async () => {
    const user = await signUp(t.app);
    const link = await requestReset(user);
    await t.runtime.db
      .updateTable('email_tokens')
      .set({ expires_at: sql<Date>`now() - interval '1 minute'` })
      .where('user_id', '=', user.id)
      .where('purpose', '=', 'reset_password')
      .execute();
    const res = await send(t.app, newJar(), { url: link });
    assert.equal(res.statusCode, 400);
    assert.match(res.body, /id="link-invalid-title"/);
    assert.match(res.body, /href="\/forgot-password"/);
    for (const url of [
      '/reset-password',
      '/reset-password?token=short',
      `/reset-password?token=${'x'.repeat(43)}`,
    ]) {
      assert.equal((await send(t.app, newJar(), { url })).statusCode, 400, url);
    }
  });

  test('a weak or mismatched new password re-renders with 422 and keeps the link usable', async () => {
    const user = await signUp(t.app);
    const link = await requestReset(user);
    const token = new URL(link, 'http://x').searchParams.get('token') ?? '';
    const cases: [Record<string, string>, string][] = [
      [{ password: 'password1', password_confirm: 'password1' }, 'password'],
      [{ password: user.handle, password_confirm: user.handle }, 'password'],
      [{ password: 'short', password_confirm: 'short' }, 'password'],
      [{ password: 'a long enough one', password_confirm: 'a different one!' }, 'password_confirm'],
    ];
    for (const [form, field] of cases) {
      const res = await post(newJar(), '/reset-password', { token, ...form });
      assert.equal(res.statusCode, 422, JSON.stringify(form));
      assert.match(res.body, new RegExp(`id="field-${field}"[^>]*aria-invalid="true"`));
      assert.ok(!res.body.includes(`value="${form.password ?? ''}"`), 'passwords are not echoed');
    }
    assert.equal((await send(t.app, newJar(), { url: link })).statusCode, 200);
  });
});

describe('verify email', () => {
  test('the link from the sign-up mail confirms the address once', async () => {
    const user = await signUp(t.app);
    const link = await mailedLink(user.email, '/verify-email');
    const res = await send(t.app, newJar(), { url: link });
    assert.equal(res.statusCode, 200);
    assert.match(res.body, /id="confirmed-title"/);
    assert.equal(res.headers['referrer-policy'], 'no-referrer');
    const row = await t.runtime.db
      .selectFrom('users')
      .select('email_verified_at')
      .where('id', '=', user.id)
      .executeTakeFirstOrThrow();
    assert.ok(row.email_verified_at !== null);
    const again = await send(t.app, newJar(), { url: link });
    assert.equal(again.statusCode, 400);
    assert.match(again.body, /href="\/verify-email\/resend"/);
  });

  test('resend: the same answer for every address; a new link reaches unverified accounts', async () => {
    const user = await signUp(t.app);
    const page = await send(t.app, user.jar, { url: '/verify-email/resend' });
    assert.match(
      page.body,
      new RegExp(`value="${user.email}"`),
      'signed in: the address is filled in',
    );
    const known = await post(newJar(), '/verify-email/resend', { email: user.email });
    const unknown = await post(newJar(), '/verify-email/resend', {
      email: `nobody-${user.handle}@example.com`,
    });
    assert.equal(known.statusCode, 200);
    assert.equal(unknown.statusCode, 200);
    assert.equal(known.body, unknown.body);
    const before = await mailedLink(user.email, '/verify-email');
    assert.equal(await runQueued(sendVerificationJob.name), 2);
    const after = await mailedLink(user.email, '/verify-email');
    assert.notEqual(after, before);
    assert.equal((await send(t.app, newJar(), { url: before })).statusCode, 400, 'replaced');
    assert.equal((await send(t.app, newJar(), { url: after })).statusCode, 200);
  });

  test('resend per address is limited to three an hour, with an unchanged answer', async () => {
    const user = await signUp(t.app);
    const statuses = [];
    for (let i = 0; i < 4; i++) {
      statuses.push(
        (await post(newJar(), '/verify-email/resend', { email: user.email })).statusCode,
      );
    }
    assert.deepEqual(statuses, [200, 200, 200, 200]);
    assert.equal(await runQueued(sendVerificationJob.name), 3);
  });
});

describe('unlock', () => {
  test('five failures lock new devices out; the mailed link lifts the lock for that browser', async () => {
    const user = await signUp(t.app);
    const jar = newJar();
    for (let i = 0; i < 5; i++) {
      const res = await post(jar, '/login', { email: user.email, password: `wrong guess ${i}` });
      assert.equal(res.statusCode, 422);
    }
    const lockedUntil = async () =>
      (
        await t.runtime.db
          .selectFrom('users')
          .select('locked_until')
          .where('id', '=', user.id)
          .executeTakeFirstOrThrow()
      ).locked_until;
    assert.ok((await lockedUntil()) !== null);
    const refused = await post(jar, '/login', { email: user.email, password: user.password });
    assert.equal(refused.statusCode, 422, 'locked: even the right password is refused');

    const link = await mailedLink(user.email, '/unlock');
    // mail scanners fetch links: the GET only shows a button
    const page = await send(t.app, jar, { url: link });
    assert.equal(page.statusCode, 200);
    assert.match(page.body, /<form method="post" action="\/unlock"/);
    assert.ok((await lockedUntil()) !== null);

    const token = new URL(link, 'http://x').searchParams.get('token') ?? '';
    const unlocked = await post(jar, '/unlock', { token });
    assert.equal(unlocked.statusCode, 303);
    assert.equal(unlocked.headers.location, '/login?unlocked=1');
    assert.equal(await lockedUntil(), null);
    const signedIn = await post(jar, '/login', { email: user.email, password: user.password });
    assert.equal(signedIn.statusCode, 303);
    assert.equal(signedIn.headers.location, '/');

    const reused = await post(newJar(), '/unlock', { token });
    assert.equal(reused.statusCode, 400);
    assert.equal((await send(t.app, newJar(), { url: link })).statusCode, 400);
  });
});
