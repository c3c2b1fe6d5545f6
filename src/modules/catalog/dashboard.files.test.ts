// Removing and replacing an item's files from the dashboard through the real app (jobs run, so
// uploads are processed): removing is asked first, then the file is gone; a published item's
// only ready file stays, and so does any file of an item someone bought (directly or in a
// bundle), with the reason on the page. A new version takes the old one's place only once it
// is ready, so a buyer always has a file; one that fails leaves the old one. Someone else's
// file is a 404.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { createTestApp, type TestApp } from '../../../test/helpers/app.js';
import {
  call,
  makeItem,
  makeProject,
  signUpCreator,
  signUpFan,
  type Creator,
  type ItemBody,
} from './catalog.test-helpers.js';
import { HX, get, post } from './dashboard/dashboard.test-helpers.js';
import { send } from '../../../test/helpers/http.js';
import { until } from '../../../test/helpers/until.js';

let t: TestApp;
let creator: Creator;
before(async () => {
  t = await createTestApp({ runJobs: true });
  creator = await signUpCreator(t.app);
});
after(() => t.close());

const sellable = { ai_disclosure: { tier: 'handmade' } };

/** A file recorded as processed (processing is the media module's, tested there). */
async function readyFile(itemId: string, name: string): Promise<string> {
  const row = await t.runtime.db
    .insertInto('files')
    .values({
      item_id: itemId,
      creator_id: creator.id,
      status: 'ready',
      kind: 'archive',
      original_name: name,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

async function fileExists(id: string): Promise<boolean> {
  const row = await t.runtime.db
    .selectFrom('files')
    .select('id')
    .where('id', '=', id)
    .executeTakeFirst();
  return row !== undefined;
}

async function download(title: string, price: Record<string, unknown>): Promise<ItemBody> {
  const project = await makeProject(t.app, creator, { title: `Files ${title}` });
  return makeItem(t.app, creator, project.id, { type: 'digital', title, price, ...sellable });
}

const removeUrl = (itemId: string, fileId: string) =>
  `/dashboard/items/${itemId}/files/${fileId}/remove`;

describe('removing a file', () => {
  test('the editor offers it, a page asks first, then the file is gone', async () => {
    const item = await download('Score', { model: 'free' });
    const keep = await readyFile(item.id, 'score.pdf');
    const gone = await readyFile(item.id, 'draft <score>.pdf');
    const editor = await get(t.app, creator.jar, `/dashboard/items/${item.id}`);
    assert.match(editor.body, new RegExp(`href="${removeUrl(item.id, gone)}"`));
    const confirm = await get(t.app, creator.jar, removeUrl(item.id, gone));
    assert.equal(confirm.statusCode, 200);
    assert.match(confirm.body, /<h1[^>]*>Remove ‘draft &lt;score>\.pdf’\?<\/h1>/);
    assert.ok(await fileExists(gone), 'asking changes nothing');
    const removed = await post(t.app, creator.jar, removeUrl(item.id, gone), creator.csrf, {});
    assert.equal(removed.statusCode, 303);
    assert.equal(removed.headers.location, `/dashboard/items/${item.id}?done=file_removed#files`);
    assert.equal(await fileExists(gone), false);
    assert.ok(await fileExists(keep));
    const after = await get(t.app, creator.jar, `/dashboard/items/${item.id}?done=file_removed`);
    assert.match(after.body, /File removed\./);
    assert.doesNotMatch(after.body, /draft &lt;score>/);
  });

  test('a published item’s only ready file stays', async () => {
    const item = await download('Poster', { model: 'fixed', amount: 500 });
    const only = await readyFile(item.id, 'poster.pdf');
    assert.equal((await call(t.app, creator, 'POST', `/items/${item.id}/publish`)).statusCode, 200);
    const refused = await post(t.app, creator.jar, removeUrl(item.id, only), creator.csrf, {});
    assert.equal(refused.statusCode, 409);
    assert.match(refused.body, /only ready file of a published item/);
    assert.doesNotMatch(refused.body, /type="submit" class="button button--danger"/);
    assert.ok(await fileExists(only));
  });

  test('a file of an item someone bought, directly or in a bundle, stays', async () => {
    const fan = await signUpFan(t.app);
    const item = await download('Samples', { model: 'free' });
    const first = await readyFile(item.id, 'samples-1.zip');
    const second = await readyFile(item.id, 'samples-2.zip');
    assert.equal((await call(t.app, creator, 'POST', `/items/${item.id}/publish`)).statusCode, 200);
    // in a bundle a fan claims
    const project = await makeProject(t.app, creator, { title: 'Bundles' });
    const bundle = await makeItem(t.app, creator, project.id, {
      type: 'bundle',
      title: 'Everything',
      price: { model: 'free' },
      ...sellable,
    });
    await call(t.app, creator, 'PUT', `/items/${bundle.id}/bundle`, { item_ids: [item.id] });
    assert.equal(
      (await call(t.app, creator, 'POST', `/items/${bundle.id}/publish`)).statusCode,
      200,
    );
    const claimed = await call(t.app, fan, 'POST', '/checkout', { item_id: bundle.id });
    assert.equal(claimed.statusCode, 201, claimed.body);
    const refused = await post(t.app, creator.jar, removeUrl(item.id, second), creator.csrf, {});
    assert.equal(refused.statusCode, 409);
    assert.match(refused.body, /Someone has bought this item/);
    assert.ok(await fileExists(second));
    // and bought directly
    const other = await download('Loops', { model: 'free' });
    await readyFile(other.id, 'loops-1.zip');
    const loops = await readyFile(other.id, 'loops-2.zip');
    assert.equal(
      (await call(t.app, creator, 'POST', `/items/${other.id}/publish`)).statusCode,
      200,
    );
    assert.equal(
      (await call(t.app, fan, 'POST', '/checkout', { item_id: other.id })).statusCode,
      201,
    );
    const again = await post(t.app, creator.jar, removeUrl(other.id, loops), creator.csrf, {});
    assert.equal(again.statusCode, 409);
    assert.ok(await fileExists(loops));
    assert.ok(await fileExists(first));
  });

  test('someone else’s file, or a file of another item, is a 404', async () => {
    const item = await download('Mine', { model: 'free' });
    const file = await readyFile(item.id, 'mine.zip');
    const elsewhere = await download('Elsewhere', { model: 'free' });
    const other = await signUpCreator(t.app);
    assert.equal((await get(t.app, other.jar, removeUrl(item.id, file))).statusCode, 404);
    const theirs = await post(t.app, other.jar, removeUrl(item.id, file), other.csrf, {});
    assert.equal(theirs.statusCode, 404);
    const wrongItem = await post(
      t.app,
      creator.jar,
      removeUrl(elsewhere.id, file),
      creator.csrf,
      {},
    );
    assert.equal(wrongItem.statusCode, 404);
    assert.ok(await fileExists(file));
  });
});

describe('replacing a file', () => {
  async function upload(itemId: string, name: string, body: string): Promise<string> {
    const res = await send(t.app, creator.jar, {
      url: `/api/v1/items/${itemId}/files`,
      headers: { 'x-csrf-token': creator.csrf },
      multipart: {
        file: { field: 'file', filename: name, contentType: 'text/plain', body: Buffer.from(body) },
      },
    });
    assert.equal(res.statusCode, 202, res.body);
    return res.json<{ file: { id: string } }>().file.id;
  }

  const statusOf = async (id: string) =>
    (
      await t.runtime.db
        .selectFrom('files')
        .select('status')
        .where('id', '=', id)
        .executeTakeFirst()
    )?.status;

  const settled = (id: string) =>
    until(async () => {
      const status = await statusOf(id);
      return status === 'pending' || status === 'processing' ? undefined : status;
    }, `file ${id} to be processed`);

  function replace(
    user: Creator,
    itemId: string,
    fileId: string,
    file?: { name: string; body: string },
  ) {
    return send(t.app, user.jar, {
      url: `/dashboard/items/${itemId}/files/${fileId}/replace`,
      headers: { 'x-csrf-token': user.csrf, ...HX },
      multipart: file
        ? {
            file: {
              field: 'file',
              filename: file.name,
              contentType: 'text/plain',
              body: Buffer.from(file.body),
            },
          }
        : { fields: { note: 'no file' } },
    });
  }

  test('a bought item’s file gets a new version: the old one goes once the new one is ready', async () => {
    const fan = await signUpFan(t.app);
    const item = await download('Manual', { model: 'free' });
    const first = await upload(item.id, 'manual-v1.txt', 'Version one.');
    assert.equal(await settled(first), 'ready');
    assert.equal((await call(t.app, creator, 'POST', `/items/${item.id}/publish`)).statusCode, 200);
    assert.equal(
      (await call(t.app, fan, 'POST', '/checkout', { item_id: item.id })).statusCode,
      201,
    );
    const editor = await get(t.app, creator.jar, `/dashboard/items/${item.id}`);
    assert.match(
      editor.body,
      new RegExp(`hx-post="/dashboard/items/${item.id}/files/${first}/replace"`),
    );

    const res = await replace(creator, item.id, first, {
      name: 'manual-v2.txt',
      body: 'Version two.',
    });
    assert.equal(res.statusCode, 200, res.body);
    assert.match(res.body, /^<div class="file-list" id="file-list"/);
    assert.match(res.body, /role="status">New version of ‘manual-v1\.txt’ uploaded/);
    const second = await until(async () => {
      const row = await t.runtime.db
        .selectFrom('files')
        .select('id')
        .where('replaces_file_id', '=', first)
        .executeTakeFirst();
      return row?.id;
    }, 'the new version’s row');
    assert.equal(await settled(second), 'ready');
    assert.equal(await statusOf(first), undefined, 'the old version is gone');
    const list = await get(t.app, creator.jar, `/dashboard/items/${item.id}/files`);
    assert.match(list.body, /manual-v2\.txt/);
    assert.doesNotMatch(list.body, /manual-v1\.txt/);
    // the buyer downloads the new version
    const fetched = await call(t.app, fan, 'GET', `/files/${second}/download`);
    assert.equal(fetched.statusCode, 200, fetched.body);
  });

  test('a new version that fails leaves the old one; no file is a 422; not yours is a 404', async () => {
    const item = await download('Notes', { model: 'free' });
    const first = await upload(item.id, 'notes.txt', 'Notes.');
    assert.equal(await settled(first), 'ready');
    const empty = await replace(creator, item.id, first, { name: 'empty.txt', body: '' });
    assert.equal(empty.statusCode, 200);
    const failed = await until(async () => {
      const row = await t.runtime.db
        .selectFrom('files')
        .select(['id', 'status'])
        .where('replaces_file_id', '=', first)
        .executeTakeFirst();
      return row && row.status !== 'pending' && row.status !== 'processing' ? row : undefined;
    }, 'the empty version to be refused');
    assert.equal(failed.status, 'failed');
    assert.equal(await statusOf(first), 'ready', 'the old version stays');

    const none = await replace(creator, item.id, first);
    assert.equal(none.statusCode, 422);
    assert.match(none.body, /role="alert">Choose a file to upload\./);

    const other = await signUpCreator(t.app);
    const theirs = await replace(other, item.id, first, { name: 'x.txt', body: 'x' });
    assert.equal(theirs.statusCode, 404);
  });
});
