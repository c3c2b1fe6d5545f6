// Image uploads from the dashboard's pickers: multipart through htmx with the CSRF header,
// answered with the picker showing the new image; refusals go to the picker's status line.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { FastifyInstance } from 'fastify';
import sharp from 'sharp';
import { createTestApp, type TestApp } from '../../../test/helpers/app.js';
import type { Jar } from '../../../test/helpers/http.js';
import { call, makeProject, signUpCreator, signUpFan } from './catalog.test-helpers.js';
import { HX, csrfIn, get, post } from './dashboard/dashboard.test-helpers.js';

let t: TestApp;
before(async () => {
  t = await createTestApp();
});
after(() => t.close());

const BOUNDARY = '----dashboard-test';

function multipart(file: Buffer, filename = 'cover.png', type = 'image/png'): Buffer {
  return Buffer.concat([
    Buffer.from(
      `--${BOUNDARY}\r\nContent-Disposition: form-data; name="image"; filename="${filename}"\r\n` +
        `Content-Type: ${type}\r\n\r\n`,
    ),
    file,
    Buffer.from(`\r\n--${BOUNDARY}--\r\n`),
  ]);
}

function upload(app: FastifyInstance, jar: Jar, purpose: string, csrf: string, body: Buffer) {
  return app.inject({
    method: 'POST',
    url: `/dashboard/uploads/${purpose}`,
    payload: body,
    headers: {
      'content-type': `multipart/form-data; boundary=${BOUNDARY}`,
      'x-forwarded-for': jar.ip,
      cookie: [...jar.cookies].map(([k, v]) => `${k}=${v}`).join('; '),
      'x-csrf-token': csrf,
      ...HX,
    },
  });
}

const png = () =>
  sharp({ create: { width: 800, height: 800, channels: 3, background: '#2150d6' } })
    .png()
    .toBuffer();

describe('image uploads', () => {
  test('a cover upload answers the picker with the new image; saving attaches it', async () => {
    const creator = await signUpCreator(t.app);
    const project = await makeProject(t.app, creator, { title: 'Covers' });
    const page = await get(t.app, creator.jar, `/dashboard/projects/${project.id}`);
    const csrf = csrfIn(page.body);
    const res = await upload(t.app, creator.jar, 'cover', csrf, multipart(await png()));
    assert.equal(res.statusCode, 200);
    assert.match(res.body, /^<fieldset class="image-picker" id="cover-picker"/);
    const id = /name="cover_image_id" value="([0-9a-f-]{36})"/.exec(res.body)?.[1];
    assert.ok(id, 'the picker carries the new image id');
    assert.match(res.body, new RegExp(`<img[^>]*src="/media/images/${id}/`));

    const saved = await post(t.app, creator.jar, `/dashboard/projects/${project.id}`, csrf, {
      title: 'Covers',
      slug: project.slug,
      description: '',
      cover_image_id: id,
    });
    assert.equal(saved.statusCode, 303);
    const json = await call(t.app, creator, 'GET', `/projects/${project.id}`);
    assert.equal(json.json<{ project: { cover: { id: string } } }>().project.cover.id, id);

    const removed = await post(t.app, creator.jar, `/dashboard/projects/${project.id}`, csrf, {
      title: 'Covers',
      slug: project.slug,
      description: '',
      cover_image_id: id,
      cover_image_id_remove: '1',
    });
    assert.equal(removed.statusCode, 303);
    const after = await call(t.app, creator, 'GET', `/projects/${project.id}`);
    assert.equal(after.json<{ project: { cover: unknown } }>().project.cover, null);
  });

  test('a file that is not an image is refused into the picker’s status line', async () => {
    const creator = await signUpCreator(t.app);
    const csrf = csrfIn((await get(t.app, creator.jar, '/dashboard')).body);
    const res = await upload(
      t.app,
      creator.jar,
      'cover',
      csrf,
      multipart(Buffer.from('<script>alert(1)</script>'), 'x.png'),
    );
    assert.ok(res.statusCode >= 400 && res.statusCode < 500, String(res.statusCode));
    assert.equal(res.headers['hx-retarget'], '#field-cover_file-error');
    assert.match(res.body, /^<p class="field__error">/);
  });

  test('a fan may upload an avatar but not a cover; no CSRF header, no upload', async () => {
    const fan = await signUpFan(t.app);
    const csrf = csrfIn((await get(t.app, fan.jar, '/dashboard/profile')).body);
    const avatar = await upload(t.app, fan.jar, 'avatar', csrf, multipart(await png()));
    assert.equal(avatar.statusCode, 200);
    assert.match(avatar.body, /id="avatar-picker"/);
    const cover = await upload(t.app, fan.jar, 'cover', csrf, multipart(await png()));
    assert.equal(cover.statusCode, 403);
    const forged = await upload(t.app, fan.jar, 'avatar', 'not-the-token', multipart(await png()));
    assert.equal(forged.statusCode, 403);
  });
});
