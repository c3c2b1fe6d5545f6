// The dashboard's overview through the real app: the numbers in the creator's currency before
// any sale, the setup checklist with what is done and what is not (plans not available yet),
// gone once profile, payouts and a published item are done; rows with a thumbnail (the item's
// cover, a video's poster frame, else the project's cover), the sales count, one Edit and the
// rest in the More menu, which without script is a plain list of links and forms.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import sharp from 'sharp';
import { createTestApp, type TestApp } from '../../../test/helpers/app.js';
import { send } from '../../../test/helpers/http.js';
import {
  call,
  makeItem,
  makeProject,
  signUpCreator,
  signUpFan,
  type Creator,
} from './catalog.test-helpers.js';
import { get } from './dashboard/dashboard.test-helpers.js';

let t: TestApp;
before(async () => {
  t = await createTestApp();
});
after(() => t.close());

const sellable = { body: 'Words.', ai_disclosure: { tier: 'handmade' } };

async function image(creator: Creator, purpose: 'cover' | 'avatar'): Promise<string> {
  const png = await sharp({ create: { width: 400, height: 400, channels: 3, background: '#345' } })
    .png()
    .toBuffer();
  const res = await send(t.app, creator.jar, {
    url: `/api/v1/me/images?purpose=${purpose}`,
    headers: { 'x-csrf-token': creator.csrf },
    multipart: { file: { field: 'file', filename: 'p.png', contentType: 'image/png', body: png } },
  });
  assert.equal(res.statusCode, 201, res.body);
  return res.json<{ image: { id: string } }>().image.id;
}

/** The markup of one item's row. */
function rowOf(html: string, itemId: string): string {
  const start = html.indexOf(`<li class="item-row" id="item-${itemId}"`);
  assert.ok(start >= 0, `row of ${itemId}`);
  const next = html.indexOf('<li class="item-row"', start + 1);
  return html.slice(start, next >= 0 ? next : html.indexOf('</ol>', start));
}

test('a new creator: zeros in their currency, nothing sold yet, the checklist to do', async () => {
  const creator = await signUpCreator(t.app);
  const res = await get(t.app, creator.jar, '/dashboard');
  assert.equal(res.statusCode, 200);
  assert.match(res.body, /id="stat-today"[\s\S]*?stat-card__value">0<[\s\S]*?\$0\.00/);
  assert.match(res.body, /id="stat-pending"[\s\S]*?stat-card__value">\$0\.00</);
  assert.match(res.body, /Nothing yet\. When someone buys, tips or joins, it shows here\./);
  assert.match(res.body, /href="\/dashboard\/sales">All sales</);
  assert.match(res.body, /0 of 3 steps done/);
  assert.match(res.body, /<a href="\/dashboard\/profile">Add a picture and a short bio<\/a>/);
  assert.match(res.body, /<a href="\/dashboard\/payouts\/account">Set up payouts<\/a>/);
  assert.match(res.body, /<a href="\/dashboard\/projects\/new">Publish your first item<\/a>/);
  assert.match(res.body, /Choose a plan<\/span>[\s\S]*?Plans are not available yet\./);
  assert.doesNotMatch(res.body, /href="\/dashboard\/plan/, 'no link to a page that is not there');
});

test('the checklist goes once profile, payouts and a published item are done', async () => {
  const creator = await signUpCreator(t.app);
  const avatar = await image(creator, 'avatar');
  const profile = await call(t.app, creator, 'PATCH', '/me/profile', {
    bio: 'I record rivers.',
    avatar_image_id: avatar,
  });
  assert.equal(profile.statusCode, 200, profile.body);
  const project = await makeProject(t.app, creator, { title: 'Rivers' });
  const item = await makeItem(t.app, creator, project.id, { title: 'On Rivers', ...sellable });
  let res = await get(t.app, creator.jar, '/dashboard');
  assert.match(res.body, /1 of 3 steps done/);
  assert.match(
    res.body,
    new RegExp(`<a href="/dashboard/items/${item.id}">Publish your first item`),
  );
  assert.match(res.body, /‘On Rivers’ is a draft: finish it and publish it\./);
  assert.equal((await call(t.app, creator, 'POST', `/items/${item.id}/publish`)).statusCode, 200);
  assert.equal((await call(t.app, creator, 'PUT', '/me/payout-account', {})).statusCode, 200);
  res = await get(t.app, creator.jar, '/dashboard');
  assert.doesNotMatch(res.body, /Get set up/);
  assert.match(res.body, /id="stat-today"/, 'the numbers stay');
});

test('rows: thumbnails, sales, Edit, and a More menu that is a plain list without script', async () => {
  const creator = await signUpCreator(t.app);
  const cover = await image(creator, 'cover');
  const own = await image(creator, 'cover');
  const project = await makeProject(t.app, creator, { title: 'Films', cover_image_id: cover });
  const plain = await makeItem(t.app, creator, project.id, { title: 'Plain', ...sellable });
  const covered = await makeItem(t.app, creator, project.id, {
    title: 'Covered',
    cover_image_id: own,
    ...sellable,
  });
  const video = await makeItem(t.app, creator, project.id, { type: 'video', title: 'Film' });
  // a processed video with its poster frame (processing is the media module's, tested there)
  const file = await t.runtime.db
    .insertInto('files')
    .values({
      item_id: video.id,
      creator_id: creator.id,
      status: 'ready',
      kind: 'video',
      original_name: 'film.mp4',
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  await t.runtime.db
    .insertInto('file_renditions')
    .values({
      file_id: file.id,
      name: 'poster',
      key: `files/${file.id}/poster.webp`,
      mime: 'image/webp',
      size: 10,
      metadata: '{}',
    })
    .execute();
  // a free item claimed once
  const free = await makeItem(t.app, creator, project.id, {
    title: 'Gift',
    price: { model: 'free' },
    ...sellable,
  });
  assert.equal((await call(t.app, creator, 'POST', `/items/${free.id}/publish`)).statusCode, 200);
  const fan = await signUpFan(t.app);
  assert.equal((await call(t.app, fan, 'POST', '/checkout', { item_id: free.id })).statusCode, 201);

  const res = await get(t.app, creator.jar, '/dashboard');
  const coverPath = `/media/images/${cover}/`;
  assert.match(rowOf(res.body, plain.id), new RegExp(`class="item-row__thumb" src="${coverPath}`));
  assert.match(rowOf(res.body, covered.id), new RegExp(`src="/media/images/${own}/`));
  assert.match(rowOf(res.body, video.id), new RegExp(`src="/poster/${video.id}"`));
  assert.match(rowOf(res.body, free.id), /item-row__sales">1 claimed</);
  assert.match(rowOf(res.body, plain.id), /item-row__sales">Not claimed yet</);

  const row = rowOf(res.body, plain.id);
  assert.match(
    row,
    new RegExp(
      `<a class="button button--secondary button--small" href="/dashboard/items/${plain.id}">Edit`,
    ),
  );
  // the toggle is hidden until script shows it; the actions are there as links and forms
  assert.match(
    row,
    new RegExp(
      `<button type="button" class="[^"]*row-menu__toggle" aria-expanded="false" aria-controls="menu-item-${plain.id}" data-row-menu-toggle hidden>`,
    ),
  );
  const menu = row.slice(row.indexOf(`id="menu-item-${plain.id}"`));
  assert.match(menu, /<a class="row-menu__action" href="\/@[^"]+\/films\/plain">Preview/);
  assert.match(
    menu,
    new RegExp(`<form method="post" action="/dashboard/items/${plain.id}/publish"`),
  );
  assert.match(menu, new RegExp(`href="/dashboard/items/${plain.id}/delete">Delete`));
  // and the projects page shows the same rows
  const projects = await get(t.app, creator.jar, '/dashboard/projects');
  assert.match(rowOf(projects.body, free.id), /1 claimed/);
});
