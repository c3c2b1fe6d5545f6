import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { createTestApp, type TestApp } from '../../../test/helpers/app.js';
import {
  call,
  makeItem,
  makeProject,
  signUpCreator,
  type Err,
  type ItemBody,
} from './catalog.test-helpers.js';

let t: TestApp;
before(async () => {
  t = await createTestApp();
});
after(() => t.close());

describe('item prices and tags', () => {
  test('prices: each model, and a specific code for each mistake', async () => {
    const creator = await signUpCreator(t.app);
    const project = await makeProject(t.app, creator);
    const ok: [unknown, unknown][] = [
      [{ model: 'free' }, { model: 'free', currency: 'USD' }],
      [
        { model: 'fixed', amount: 1500, currency: 'usd' },
        { model: 'fixed', amount: 1500, currency: 'USD' },
      ],
      [
        { model: 'fixed', amount: 100_000_000 },
        { model: 'fixed', amount: 100_000_000, currency: 'USD' },
      ],
      [
        { model: 'pwyw', minimum: 0 },
        { model: 'pwyw', minimum: 0, currency: 'USD' },
      ],
      [
        { model: 'pwyw', minimum: 300, suggested: 300 },
        { model: 'pwyw', minimum: 300, suggested: 300, currency: 'USD' },
      ],
      [{ model: 'members' }, { model: 'members', currency: 'USD' }],
    ];
    for (const [price, expected] of ok) {
      const item = await makeItem(t.app, creator, project.id, { price });
      assert.deepEqual(item.price, expected, JSON.stringify(price));
    }
    const bad: [unknown, string, string][] = [
      [{ model: 'fixed', amount: -1 }, 'PRICE_NEGATIVE', 'price.amount'],
      [{ model: 'pwyw', minimum: -5 }, 'PRICE_NEGATIVE', 'price.minimum'],
      [{ model: 'pwyw', minimum: 0, suggested: -5 }, 'PRICE_NEGATIVE', 'price.suggested'],
      [{ model: 'fixed', amount: 100_000_001 }, 'PRICE_TOO_LARGE', 'price.amount'],
      [{ model: 'fixed', amount: 1e15 }, 'PRICE_TOO_LARGE', 'price.amount'],
      [
        { model: 'pwyw', minimum: 500, suggested: 400 },
        'PRICE_MINIMUM_ABOVE_SUGGESTED',
        'price.suggested',
      ],
      [{ model: 'fixed', amount: 100, currency: 'EUR' }, 'WRONG_CURRENCY', 'price.currency'],
      [{ model: 'fixed', amount: 0 }, 'VALIDATION_FAILED', 'price.amount'],
      [{ model: 'fixed', amount: 1.5 }, 'VALIDATION_FAILED', 'price.amount'],
      [{ model: 'fixed', amount: '100' }, 'VALIDATION_FAILED', 'price.amount'],
      [{ model: 'fixed' }, 'VALIDATION_FAILED', 'price.amount'],
      [{ model: 'pwyw' }, 'VALIDATION_FAILED', 'price.minimum'],
      [{ model: 'auction' }, 'VALIDATION_FAILED', 'price.model'],
      [{ model: 'fixed', amount: 100, currency: 'dollars' }, 'VALIDATION_FAILED', 'price.currency'],
      [undefined, 'VALIDATION_FAILED', 'price'],
    ];
    for (const [price, code, field] of bad) {
      const res = await call(t.app, creator, 'POST', `/projects/${project.id}/items`, {
        type: 'text',
        title: 'Priced',
        price,
      });
      assert.equal(res.statusCode, 422, JSON.stringify(price));
      const { error } = res.json<Err>();
      assert.equal(error.code, code, JSON.stringify(price));
      assert.ok(error.fields?.[field], `${field} in ${JSON.stringify(error.fields)}`);
    }
    const item = await makeItem(t.app, creator, project.id);
    const patched = await call(t.app, creator, 'PATCH', `/items/${item.id}`, {
      price: { model: 'fixed', amount: -3 },
    });
    assert.equal(patched.json<Err>().error.code, 'PRICE_NEGATIVE');
    await t.runtime.db
      .updateTable('users')
      .set({ currency: 'EUR' })
      .where('id', '=', creator.id)
      .execute();
    const eur = await call(t.app, creator, 'PATCH', `/items/${item.id}`, {
      price: { model: 'fixed', amount: 900, currency: 'EUR' },
    });
    assert.deepEqual(eur.json<{ item: ItemBody }>().item.price, {
      model: 'fixed',
      amount: 900,
      currency: 'EUR',
    });
  });

  test('tags: normalised, deduplicated, at most 10, bad ones named by index', async () => {
    const creator = await signUpCreator(t.app);
    const project = await makeProject(t.app, creator);
    const item = await makeItem(t.app, creator, project.id, {
      tags: ['Music / Electronic/Ambient ', 'music/electronic/ambient', 'Hip Hop'],
    });
    assert.deepEqual(item.tags, ['hip-hop', 'music/electronic/ambient']);
    const res = await call(t.app, creator, 'PATCH', `/items/${item.id}`, {
      tags: ['ok', 'bad!tag', 'a//b'],
    });
    assert.equal(res.statusCode, 422);
    const { error } = res.json<Err>();
    assert.equal(error.code, 'INVALID_TAG');
    assert.deepEqual(Object.keys(error.fields ?? {}).sort(), ['tags.1', 'tags.2']);
    const many = Array.from({ length: 11 }, (_, i) => `t${i}`);
    const tooMany = await call(t.app, creator, 'PATCH', `/items/${item.id}`, { tags: many });
    assert.equal(tooMany.json<Err>().error.code, 'TOO_MANY_TAGS');
    const cleared = await call(t.app, creator, 'PATCH', `/items/${item.id}`, { tags: [] });
    assert.deepEqual(cleared.json<{ item: ItemBody }>().item.tags, []);
  });
});
