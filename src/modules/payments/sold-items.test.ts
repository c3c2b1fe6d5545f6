// Work someone bought cannot be deleted out from under them: a 409 that says what to do, not a
// 500 from the orders' foreign key.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { createTestApp, type TestApp } from '../../../test/helpers/app.js';
import {
  call,
  makeItem,
  makeProject,
  signUpCreator,
  signUpFan,
  type Err,
} from '../catalog/catalog.test-helpers.js';

let t: TestApp;
before(async () => {
  t = await createTestApp();
});
after(() => t.close());

test('a sold item, and the project holding it, answer 409 ITEM_SOLD to deletion', async () => {
  const creator = await signUpCreator(t.app);
  const project = await makeProject(t.app, creator);
  const item = await makeItem(t.app, creator, project.id, {
    body: 'Free words.',
    ai_disclosure: { tier: 'handmade' },
  });
  assert.equal((await call(t.app, creator, 'POST', `/items/${item.id}/publish`)).statusCode, 200);
  const fan = await signUpFan(t.app);
  const claimed = await call(t.app, fan, 'POST', '/checkout', { item_id: item.id });
  assert.equal(claimed.statusCode, 201, claimed.body);
  assert.equal(claimed.json<{ order: { status: string } }>().order.status, 'paid');

  const unpublish = await call(t.app, creator, 'PATCH', `/items/${item.id}`, { status: 'draft' });
  assert.equal(unpublish.statusCode, 200);
  const refused = await call(t.app, creator, 'DELETE', `/items/${item.id}`);
  assert.equal(refused.statusCode, 409);
  assert.equal(refused.json<Err>().error.code, 'ITEM_SOLD');
  const project409 = await call(t.app, creator, 'DELETE', `/projects/${project.id}`);
  assert.equal(project409.statusCode, 409);
  assert.equal(project409.json<Err>().error.code, 'ITEM_SOLD');
  assert.equal((await call(t.app, creator, 'GET', `/items/${item.id}`)).statusCode, 200);
});
