// The join wizard through the real app: without JavaScript (pages and 303s) and with htmx
// (fragments swapped in place), its validation, and what it does with hostile input.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { createTestApp, type TestApp } from '../../../test/helpers/app.js';
import { signUp, uniqueHandle } from '../../../test/helpers/factories.js';
import { csrfFor, newJar, send, type Jar } from '../../../test/helpers/http.js';
import { TIERS } from '../home/views/tiers.js';
import { CREATOR_TIERS } from './views/auth-join-tiers.js';

let t: TestApp;
before(async () => {
  t = await createTestApp();
});
after(() => t.close());

const HX = { 'hx-request': 'true' };
const HOSTILE = '<script>alert("x")</script>';

function csrfIn(html: string): string {
  const token = /name="_csrf" value="([^"]*)"/.exec(html)?.[1];
  assert.ok(token !== undefined, 'the page has a _csrf field');
  return token;
}

function outsideAttributes(html: string): string {
  return html.replace(/="[^"]*"/g, '=""');
}

/** The input's opening tag, by its id. */
function inputTag(html: string, name: string): string {
  const tag = new RegExp(`<input[^>]*id="field-${name}"[^>]*>`).exec(html)?.[0];
  assert.ok(tag, `field ${name} is on the page`);
  return tag;
}

function account(overrides: Partial<Record<'email' | 'password' | 'handle', string>> = {}) {
  const handle = overrides.handle ?? uniqueHandle('join');
  return {
    _csrf: '',
    email: overrides.email ?? `${handle}@example.com`,
    password: overrides.password ?? 'the kettle sings at dawn',
    handle,
  };
}

async function userRow(handle: string) {
  return t.runtime.db
    .selectFrom('users')
    .select(['id', 'display_name', 'is_creator', 'creator_tier', 'email'])
    .where('handle', '=', handle)
    .executeTakeFirstOrThrow();
}

async function me(jar: Jar) {
  return send(t.app, jar, { url: '/api/v1/me' });
}

describe('join wizard without JavaScript', () => {
  test('each step is its own page and each POST answers 303 to the next', async () => {
    const jar = newJar();
    const start = await send(t.app, jar, { url: '/join' });
    assert.equal(start.statusCode, 200);
    assert.match(start.body, /^<!doctype html>/);
    assert.match(start.body, /<section class="auth" id="join"/);
    assert.match(start.body, /<li class="steps__item steps__item--current" aria-current="step"/);
    assert.match(start.body, /<form method="post" action="\/join"/);
    assert.equal(csrfIn(start.body), '', 'anonymous pages carry an empty token');

    const form = account();
    const created = await send(t.app, jar, { url: '/join', form });
    assert.equal(created.statusCode, 303);
    assert.equal(created.headers.location, '/join/profile');
    assert.ok(jar.cookies.has('mnw_session') && jar.cookies.has('mnw_device'));

    const profile = await send(t.app, jar, { url: '/join/profile' });
    assert.equal(profile.statusCode, 200);
    assert.match(inputTag(profile.body, 'display_name'), new RegExp(`value="${form.handle}"`));
    const token = csrfIn(profile.body);
    assert.equal(token, await csrfFor(t.app, jar), 'the form carries the session’s token');

    const named = await send(t.app, jar, {
      url: '/join/profile',
      form: { _csrf: token, display_name: 'Mara Lind' },
    });
    assert.equal(named.statusCode, 303);
    assert.equal(named.headers.location, '/join/create');
    assert.equal((await userRow(form.handle)).display_name, 'Mara Lind');

    const create = await send(t.app, jar, { url: '/join/create' });
    assert.equal(create.statusCode, 200);
    assert.equal(create.body.match(/type="radio" name="tier"/g)?.length, 4);

    const before = jar.cookies.get('mnw_session');
    const chosen = await send(t.app, jar, {
      url: '/join/create',
      form: { _csrf: token, tier: 'small_files' },
    });
    assert.equal(chosen.statusCode, 303);
    assert.equal(chosen.headers.location, '/join/done');
    const row = await userRow(form.handle);
    assert.equal(row.is_creator, true);
    assert.equal(row.creator_tier, 'small_files');
    // becoming a creator is a privilege change: the session gets a new token
    const after = jar.cookies.get('mnw_session');
    assert.ok(before && after && before !== after);
    assert.equal(
      (await me({ ...newJar(), cookies: new Map([['mnw_session', before]]) })).statusCode,
      401,
    );
    assert.equal((await me(jar)).statusCode, 200);

    const done = await send(t.app, jar, { url: '/join/done' });
    assert.equal(done.statusCode, 200);
    assert.match(done.body, /id="join-done-title"/);
    assert.ok(done.body.includes(form.email), 'reminds which address to confirm');
    assert.match(done.body, /href="\/verify-email\/resend"/);
    const mail = await t.runtime.db
      .selectFrom('mail_messages')
      .select('subject')
      .where('to_address', '=', form.email)
      .execute();
    assert.deepEqual(
      mail.map((m) => m.subject),
      ['Confirm your email address'],
    );
  });

  test('later steps need a signed-in user; signed-in users skip step 1', async () => {
    const anonymous = newJar();
    for (const url of ['/join/profile', '/join/create', '/join/done']) {
      const res = await send(t.app, anonymous, { url });
      assert.equal(res.statusCode, 303, url);
      assert.equal(res.headers.location, `/login?next=${encodeURIComponent(url)}`);
    }
    const post = await send(t.app, anonymous, { url: '/join/create', form: { tier: 'basic' } });
    assert.equal(post.statusCode, 303);
    assert.equal(post.headers.location, '/login?next=%2Fjoin%2Fcreate');
    const htmx = await send(t.app, anonymous, { url: '/join/profile', headers: HX });
    assert.equal(htmx.statusCode, 204);
    assert.equal(htmx.headers['hx-redirect'], '/login?next=%2Fjoin%2Fprofile');

    const user = await signUp(t.app);
    const again = await send(t.app, user.jar, { url: '/join' });
    assert.equal(again.statusCode, 303);
    assert.equal(again.headers.location, '/');
  });

  test('the steps after sign-up need the CSRF token of the new session', async () => {
    const user = await signUp(t.app);
    const res = await send(t.app, user.jar, {
      url: '/join/profile',
      form: { display_name: 'No token' },
    });
    assert.equal(res.statusCode, 403);
  });
});

describe('join wizard with htmx', () => {
  test('sign-up loads step 2 as a page; later POSTs answer with the next step as a fragment', async () => {
    const jar = newJar();
    const form = account();
    // A new session changes the header, the CSRF meta tag and htmx's headers: a full page.
    const created = await send(t.app, jar, { url: '/join', form, headers: HX });
    assert.equal(created.statusCode, 204);
    assert.equal(created.headers['hx-redirect'], '/join/profile');
    const profile = await send(t.app, jar, { url: '/join/profile' });
    assert.equal(profile.statusCode, 200);
    assert.match(profile.body, /<!doctype html>/i);
    assert.match(profile.body, new RegExp(`@${form.handle}`), 'the header shows the new account');
    assert.match(profile.body, /hx-post="\/join\/profile" hx-target="#join" hx-swap="outerHTML"/);
    const token = csrfIn(profile.body);
    assert.notEqual(token, '');
    assert.equal(token, await csrfFor(t.app, jar));
    assert.match(profile.body, new RegExp(`<meta name="csrf-token" content="${token}"`));

    const create = await send(t.app, jar, {
      url: '/join/profile',
      form: { _csrf: token, display_name: 'Night Owls' },
      headers: HX,
    });
    assert.equal(create.statusCode, 200);
    assert.equal(create.headers['hx-push-url'], '/join/create');
    assert.match(create.body, /id="join-create-title" tabindex="-1" autofocus/);

    const skipped = await send(t.app, jar, { url: '/join/done', headers: HX });
    assert.equal(skipped.statusCode, 200);
    assert.match(skipped.body, /^<title>You’re in · Join/);
    assert.equal((await userRow(form.handle)).is_creator, false);
    // a fan has no page yet: no link to /@handle (a 404), and nothing about follows, which do
    // not exist yet
    assert.doesNotMatch(skipped.body, new RegExp(`href="/@${form.handle}"`));
    assert.match(skipped.body, /<a class="next-steps__link" href="\/settings">Your settings<\/a>/);
    assert.doesNotMatch(skipped.body, /follow/i);

    const done = await send(t.app, jar, {
      url: '/join/create',
      form: { _csrf: token, tier: 'everything' },
      headers: HX,
    });
    assert.equal(done.statusCode, 200);
    assert.equal(done.headers['hx-push-url'], '/join/done');
    assert.match(done.body, /id="join-done-title" tabindex="-1" autofocus/);
    assert.equal((await userRow(form.handle)).creator_tier, 'everything');
    assert.match(done.body, new RegExp(`<a class="next-steps__link" href="/@${form.handle}">`));
  });

  test('an invalid step 1 comes back as a 422 fragment with the problem focused', async () => {
    const res = await send(t.app, newJar(), {
      url: '/join',
      form: account({ email: 'not an email' }),
      headers: HX,
    });
    assert.equal(res.statusCode, 422);
    assert.doesNotMatch(res.body, /<!doctype/);
    assert.match(res.body, /<div class="form-problem" id="form-problem" tabindex="-1" autofocus/);
    assert.match(inputTag(res.body, 'email'), /aria-invalid="true"/);
  });
});

describe('join validation', () => {
  test('each refusal re-renders step 1 with 422, keeping the values but not the password', async () => {
    const taken = await signUp(t.app);
    const cases: [string, ReturnType<typeof account>, 'email' | 'password' | 'handle'][] = [
      ['malformed email', account({ email: 'nope@' }), 'email'],
      ['short password', account({ password: 'short' }), 'password'],
      ['reserved handle', account({ handle: 'admin' }), 'handle'],
      ['malformed handle', account({ handle: 'no spaces please' }), 'handle'],
      [
        'taken handle',
        account({ handle: taken.handle.toUpperCase(), email: `x-${taken.email}` }),
        'handle',
      ],
      ['taken email', account({ email: taken.email.toUpperCase() }), 'email'],
      ['common password', account({ password: 'password1' }), 'password'],
      [
        'password is the handle',
        account({ handle: 'quietstream77', password: 'quietstream77' }),
        'password',
      ],
    ];
    for (const [name, form, field] of cases) {
      const res = await send(t.app, newJar(), { url: '/join', form });
      assert.equal(res.statusCode, 422, name);
      assert.match(inputTag(res.body, field), /aria-invalid="true"/, name);
      assert.match(
        res.body,
        new RegExp(`href="#field-${field}"`),
        `${name}: linked from the summary`,
      );
      assert.match(inputTag(res.body, 'email'), new RegExp(`value="${form.email}"`), name);
      assert.match(inputTag(res.body, 'handle'), new RegExp(`value="${form.handle}"`), name);
      assert.doesNotMatch(inputTag(res.body, 'password'), /value=/, name);
      assert.ok(!res.body.includes(form.password) || form.password === form.handle, name);
      assert.equal(
        res.cookies.find((c) => c.name === 'mnw_session'),
        undefined,
        name,
      );
    }
  });

  test('too many sign-ups from one address: 429 with a notice and Retry-After', async () => {
    const { ip } = newJar();
    let last;
    for (let i = 0; i < 11; i++) {
      last = await send(t.app, { ...newJar(), ip }, { url: '/join', form: account() });
    }
    assert.ok(last);
    assert.equal(last.statusCode, 429);
    assert.ok(Number(last.headers['retry-after']) > 0);
    assert.match(last.body, /class="form-problem"/);
  });

  test('a profile without a name, or no tier chosen, is a 422', async () => {
    const user = await signUp(t.app);
    const token = await csrfFor(t.app, user.jar);
    const blank = await send(t.app, user.jar, {
      url: '/join/profile',
      form: { _csrf: token, display_name: '   ' },
    });
    assert.equal(blank.statusCode, 422);
    assert.match(inputTag(blank.body, 'display_name'), /aria-invalid="true"/);
    const noTier = await send(t.app, user.jar, { url: '/join/create', form: { _csrf: token } });
    assert.equal(noTier.statusCode, 422);
    const bogus = await send(t.app, user.jar, {
      url: '/join/create',
      form: { _csrf: token, tier: 'platinum' },
    });
    assert.equal(bogus.statusCode, 422);
    assert.equal((await userRow(user.handle)).is_creator, false);
  });
});

describe('join escaping', () => {
  test('a hostile email, handle and display name never appear unescaped', async () => {
    const rejected = await send(t.app, newJar(), {
      url: '/join',
      form: account({ email: `"><img src=x onerror=alert(1)>@x.com`, handle: HOSTILE }),
    });
    assert.equal(rejected.statusCode, 422);
    // Inside a double-quoted attribute `<` is plain data and `"` is escaped: outside them, no
    // markup of the input may appear.
    assert.ok(!rejected.body.includes('value=""><img'), 'the value cannot end its attribute');
    assert.ok(!outsideAttributes(rejected.body).includes('<img src=x'));
    assert.ok(!outsideAttributes(rejected.body).includes('<script>alert'));

    const jar = newJar();
    const form = account();
    await send(t.app, jar, { url: '/join', form });
    const token = await csrfFor(t.app, jar);
    const named = await send(t.app, jar, {
      url: '/join/profile',
      form: { _csrf: token, display_name: HOSTILE },
      headers: HX,
    });
    assert.equal(named.statusCode, 200);
    assert.equal((await userRow(form.handle)).display_name, HOSTILE);
    for (const url of ['/join/profile', '/join/create', '/join/done']) {
      const page = await send(t.app, jar, { url });
      assert.equal(page.statusCode, 200, url);
      assert.ok(!outsideAttributes(page.body).includes('<script>alert'), url);
    }
    const tooLong = await send(t.app, jar, {
      url: '/join/profile',
      form: { _csrf: token, display_name: `${HOSTILE}${'x'.repeat(80)}` },
    });
    assert.equal(tooLong.statusCode, 422);
    assert.ok(!outsideAttributes(tooLong.body).includes('<script>alert'));
  });
});

test('the tiers offered at sign-up match the home page’s tier table', () => {
  assert.deepEqual(
    CREATOR_TIERS.map(({ id, name, monthlyUsd, perFile, total }) => ({
      id,
      name,
      monthlyUsd,
      perFile,
      total,
    })),
    TIERS.map(({ id, name, monthlyUsd, perFile, total }) => ({
      id,
      name,
      monthlyUsd,
      perFile,
      total,
    })),
  );
});
