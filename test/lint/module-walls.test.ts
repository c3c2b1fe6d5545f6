// The module-walls lint rule (eslint/module-walls.js) fails on what it must: a deep import into
// another module, a module import from platform/, a test helper in production code; and lets
// a module's own files, another module's index.ts and tests through.
import assert from 'node:assert/strict';
import path from 'node:path';
import { test } from 'node:test';
import { Linter } from 'eslint';
import type { Linter as LinterTypes } from 'eslint';
import moduleWalls from '../../eslint/module-walls.js';

const SRC = path.resolve(import.meta.dirname, '..', '..', 'src');
const linter = new Linter({ configType: 'flat' });
const config: LinterTypes.Config[] = [
  {
    files: ['**/*.ts', '**/*.tsx'],
    plugins: { walls: { rules: { 'module-walls': moduleWalls } } },
    rules: { 'walls/module-walls': 'error' as const },
  },
];

function problems(file: string, source: string): string[] {
  return linter
    .verify(`import x from '${source}';\n`, config, { filename: path.join(SRC, file) })
    .map((message) => message.message);
}

test('a deep import into another module fails; its index.ts passes', () => {
  assert.match(
    problems('modules/payments/checkout.service.ts', '../catalog/items.repository.js').join(),
    /reaches inside module modules\/catalog/,
  );
  assert.match(
    problems('modules/catalog/public/pages.service.ts', '../../payments/receipts.js').join(),
    /reaches inside module modules\/payments/,
  );
  assert.deepEqual(problems('modules/payments/checkout.service.ts', '../catalog/index.js'), []);
});

test("a module's own files, however deep, are its own", () => {
  assert.deepEqual(problems('modules/catalog/public/pages.service.ts', '../items.service.js'), []);
  assert.deepEqual(problems('modules/catalog/public/x.ts', '../dashboard/views/y.js'), []);
});

test('platform and db know no module; the composition root only their index.ts', () => {
  assert.match(
    problems('platform/views/layout.tsx', '../../modules/catalog/index.js').join(),
    /platform\/ must not depend on a module/,
  );
  assert.match(
    problems('db/schema.ts', '../modules/memberships/memberships.tables.js').join(),
    /db\/ must not depend on a module/,
  );
  assert.match(
    problems('app.ts', './modules/accounts/admin.service.js').join(),
    /reaches inside module modules\/accounts/,
  );
  assert.deepEqual(problems('app.ts', './modules/accounts/index.js'), []);
});

test('test helpers stay out of production code; tests may reach anywhere', () => {
  assert.match(
    problems('modules/payments/checkout.service.ts', './payments.test-helpers.js').join(),
    /test helper/,
  );
  assert.deepEqual(problems('modules/payments/refunds.test.ts', '../catalog/items.service.js'), []);
});
