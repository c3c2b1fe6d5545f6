// Test helpers for the public catalogue pages: published items made through the real API,
// visits as visitors or as a signed-in user, and readers for the sharing metadata.
import assert from 'node:assert/strict';
import sharp from 'sharp';
import type { TestApp } from '../../../test/helpers/app.js';
import { newJar, send } from '../../../test/helpers/http.js';
import { call, makeItem, type Creator, type ItemBody } from './catalog.test-helpers.js';

export const publishable = { body: 'The *text* itself.', ai_disclosure: { tier: 'handmade' } };
export const HOSTILE = '</script><script>alert(1)</script>';

export const visit = (t: TestApp, url: string, headers: Record<string, string> = {}) =>
  send(t.app, newJar(), { url, headers });
export const visitAs = (t: TestApp, user: Creator, url: string) => send(t.app, user.jar, { url });

export async function publish(t: TestApp, creator: Creator, item: ItemBody): Promise<ItemBody> {
  const res = await call(t.app, creator, 'POST', `/items/${item.id}/publish`);
  assert.equal(res.statusCode, 200, res.body);
  return res.json<{ item: ItemBody }>().item;
}

export async function publishedText(
  t: TestApp,
  creator: Creator,
  projectId: string,
  body: Record<string, unknown> = {},
): Promise<ItemBody> {
  const item = await makeItem(t.app, creator, projectId, { ...publishable, ...body });
  return publish(t, creator, item);
}

/** File types cannot be published through the API before media exists: publish the row. */
export async function forcePublish(t: TestApp, itemId: string) {
  await t.runtime.db
    .updateTable('items')
    .set({ status: 'published', published_at: new Date(), ai_tier: 'handmade' })
    .where('id', '=', itemId)
    .execute();
}

export async function setProfile(t: TestApp, creator: Creator, profile: Record<string, unknown>) {
  const res = await call(t.app, creator, 'PATCH', '/me/profile', profile);
  assert.equal(res.statusCode, 200, res.body);
}

export async function uploadCover(t: TestApp, creator: Creator): Promise<string> {
  const body = await sharp({
    create: { width: 800, height: 800, channels: 3, background: { r: 200, g: 80, b: 40 } },
  })
    .png()
    .toBuffer();
  const res = await send(t.app, creator.jar, {
    url: '/api/v1/me/images?purpose=cover',
    headers: { 'x-csrf-token': creator.csrf },
    multipart: { file: { field: 'file', filename: 'cover.png', contentType: 'image/png', body } },
  });
  assert.equal(res.statusCode, 201, res.body);
  return res.json<{ image: { id: string } }>().image.id;
}

export const pathOf = (url: string) => new URL(url).pathname;

export function jsonLdOf(html: string): Record<string, unknown> {
  const match = /<script type="application\/ld\+json">([^<]*)<\/script>/.exec(html);
  assert.ok(match?.[1], 'a JSON-LD block');
  return JSON.parse(match[1]) as Record<string, unknown>;
}

export function metaContent(html: string, property: string): string | undefined {
  const match = new RegExp(`<meta (?:property|name)="${property}" content="([^"]*)"`).exec(html);
  return match?.[1];
}
