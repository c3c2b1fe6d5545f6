// The dashboard in a real browser on the real app, with htmx and dashboard.js: the project
// wizard (slug suggested as the title is typed, a cover uploaded), the item wizard with the tag
// typeahead driven by the keyboard, an edit with errors swapped in place, and a reorder that
// keeps focus on the moved row. The overview after real sales and a tip: the numbers, the
// checklist, rows with pictures and sales, a row's More menu by keyboard, and a row dragged to
// a new place. Screenshots at 1280 and 390 px land in test-results/; axe-core checks every page.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import sharp from 'sharp';
import type { Browser, Page } from 'playwright-core';
import {
  signUpCreatorIn,
  startBrowserApp,
  watchForProblems,
  type BrowserApp,
} from '../../../test/helpers/browser-app.js';
import { describeViolations, seriousViolations } from '../../../test/helpers/accessibility.js';
import { screenshotPath } from '../../../test/helpers/browser.js';
import { send } from '../../../test/helpers/http.js';
import {
  payOnLocalPage,
  settledStatus,
  type CheckoutBody,
} from '../payments/payments.test-helpers.js';
import {
  call,
  makeItem,
  makeProject,
  signUpCreator,
  signUpFan,
  type Creator,
} from './catalog.test-helpers.js';

let env: BrowserApp;
let browser: Browser;
let baseUrl: string;

before(async () => {
  // jobs run: the overview's sales are paid through the local processor's worker jobs
  env = await startBrowserApp({ runJobs: true });
  ({ browser, baseUrl } = env);
});
after(() => env.close());

async function shot(page: Page, name: string) {
  await page.screenshot({ path: screenshotPath(`dashboard-${name}`), fullPage: true });
  const violations = await seriousViolations(page);
  assert.deepEqual(violations, [], `${name}:\n${describeViolations(violations)}`);
  const overflow = await page.evaluate('document.documentElement.scrollWidth - window.innerWidth');
  assert.equal(overflow, 0, `${name} is wider than the viewport`);
}

const activeId = (page: Page) =>
  page.evaluate('document.activeElement && document.activeElement.id');

test('create a project and an item, fix an error, reorder: with htmx and the keyboard', async () => {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  const problems = watchForProblems(page);
  await signUpCreatorIn(page, baseUrl, { prefix: 'dash' });

  await page.goto(`${baseUrl}/dashboard`);
  await page.getByText('No projects yet').waitFor();
  await shot(page, '01-empty');

  // The project wizard: the address follows the title; the cover is uploaded through htmx.
  await page.getByRole('link', { name: 'New project' }).first().click();
  await page.getByLabel('Title').fill('Field Recordings, Vol. 1');
  assert.equal(await page.getByLabel('Address').inputValue(), 'field-recordings-vol-1');
  await page.getByLabel('Description').fill('Sounds *outside*.');
  await page.getByRole('button', { name: 'Continue' }).click();
  await page.getByText('Step 2 of 3').waitFor();
  assert.equal(await activeId(page), 'wizard-step-title', 'the new step’s heading has focus');
  const png = await sharp({
    create: { width: 1200, height: 1200, channels: 3, background: '#c43d12' },
  })
    .png()
    .toBuffer();
  await page.getByLabel('Choose an image').setInputFiles({
    name: 'cover.png',
    mimeType: 'image/png',
    buffer: png,
  });
  await page.getByRole('button', { name: 'Upload' }).click();
  await page.locator('#cover-picker img').waitFor();
  await shot(page, '02-project-cover-1280');
  await page.getByRole('button', { name: 'Continue' }).click();
  await page.getByText('Step 3 of 3').waitFor();
  await page.getByRole('button', { name: 'Back' }).click();
  await page.locator('#cover-picker img').waitFor();
  await page.getByRole('button', { name: 'Continue' }).click();
  await page.getByRole('button', { name: 'Create project' }).click();
  await page.waitForURL(/\/dashboard\?done=project_created/);
  await page.locator('.project-card__cover[src]').waitFor();

  // The item wizard, with tags typed and chosen from the keyboard.
  await page.getByRole('link', { name: /^New item/ }).click();
  await page.waitForURL(/\/items\/new$/);
  await page.getByRole('radio', { name: /^Text/ }).check();
  await page.getByRole('button', { name: 'Continue' }).click();
  await page.getByLabel('Title').fill('On Rivers');
  // The paywall divider goes where the cursor is, on a line of its own.
  const text = page.getByRole('textbox', { name: /^Text/ });
  await text.fill('Water, mostly.\n\nThe rest is for readers who pay.');
  await text.evaluate((area) =>
    (area as unknown as { setSelectionRange(a: number, b: number): void }).setSelectionRange(
      14,
      14,
    ),
  );
  await page.getByRole('button', { name: 'Insert the paywall divider here' }).click();
  assert.equal(
    await text.inputValue(),
    'Water, mostly.\n\n<!-- paywall -->\n\nThe rest is for readers who pay.',
  );
  assert.equal(await activeId(page), 'field-body', 'focus goes back to the text');
  await page.getByText('Paywall divider inserted').waitFor({ state: 'attached' });
  await shot(page, '03a-item-text-paywall-1280');
  await page.getByRole('button', { name: 'Continue' }).click();
  await page.getByText('Step 3 of 4').waitFor();
  await page.getByRole('radio', { name: /^Fixed price/ }).check();
  await page.getByLabel(/^Price in USD/).fill('4.50');
  await page.getByRole('radio', { name: /^Handmade/ }).check();
  const tags = page.getByRole('combobox', { name: /Tags/ });
  await tags.fill('music/ambient');
  await tags.press('Enter');
  await page.locator('.tag-chip', { hasText: 'music/ambient' }).waitFor();
  await shot(page, '03-item-price-1280');
  await page.getByRole('button', { name: 'Continue' }).click();
  await page.getByText('Fixed price: $4.50').waitFor();
  await page.getByRole('button', { name: 'Create draft' }).click();
  await page.waitForURL(/\/dashboard\/items\/[0-9a-f-]{36}\?done=item_created/);

  // The typeahead suggests existing tags; arrow keys and Enter choose one.
  await page.locator('.tag-chip__remove').click();
  await tags.pressSequentially('amb');
  await page.getByRole('option', { name: /music\/ambient/ }).waitFor();
  assert.equal(await tags.getAttribute('aria-expanded'), 'true');
  await tags.press('ArrowDown');
  assert.equal(await tags.getAttribute('aria-activedescendant'), 'tag-option-0');
  await tags.press('Enter');
  await page.locator('.tag-chip', { hasText: 'music/ambient' }).waitFor();
  assert.equal(await tags.getAttribute('aria-expanded'), 'false');

  // An error is swapped in place, focused, and the typed values stay.
  await page.getByLabel('Title', { exact: true }).fill('');
  await page.getByLabel('Description').fill('Still here.');
  await page.getByRole('button', { name: 'Save item' }).click();
  await page.locator('.form-problem').waitFor();
  assert.equal(await activeId(page), 'form-problem');
  assert.equal(await page.getByLabel('Description').inputValue(), 'Still here.');
  await shot(page, '04-item-errors-1280');
  await page.setViewportSize({ width: 390, height: 844 });
  await shot(page, '04-item-errors-390');
  await page.setViewportSize({ width: 1280, height: 900 });
  // axe leaves empty style attributes behind, which htmx's swap would copy (and the CSP refuse).
  await page.reload();
  await page.getByLabel('Title', { exact: true }).fill('On Rivers');
  await page.getByRole('button', { name: 'Save item' }).click();
  await page.getByText('Item saved.').waitFor();

  // Reorder from the keyboard: focus stays on the moved row.
  await page.goto(`${baseUrl}/dashboard`);
  await page.getByRole('link', { name: /^New item/ }).click();
  await page.waitForURL(/\/items\/new$/);
  await page.getByRole('radio', { name: /^Download/ }).check();
  await page.getByRole('button', { name: 'Continue' }).click();
  await page.getByLabel('Title').fill('Sample pack');
  await page.getByRole('button', { name: 'Continue' }).click();
  await page.getByRole('button', { name: 'Continue' }).click();
  await page.getByRole('button', { name: 'Create draft' }).click();
  await page.waitForURL(/done=item_created/);
  await page.goto(`${baseUrl}/dashboard`);
  const down = page.getByRole('button', { name: 'Move down ‘On Rivers’' });
  await down.focus();
  await page.keyboard.press('Enter');
  await page.locator('.item-row:last-child .item-row__title', { hasText: 'On Rivers' }).waitFor();
  assert.match(String(await activeId(page)), /^move-up-/, 'focus stays on the moved row');
  await shot(page, '05-dashboard-1280');
  await page.setViewportSize({ width: 390, height: 844 });
  await shot(page, '05-dashboard-390');
  await page.goto(`${baseUrl}/dashboard/projects/new`);
  await shot(page, '06-project-wizard-390');

  const unexpected = problems.filter((p) => !p.includes('status of 422'));
  assert.deepEqual(unexpected, [], 'no other console errors or CSP violations');
  await context.close();
});

async function uploadCover(creator: Creator): Promise<string> {
  const png = await sharp({
    create: { width: 600, height: 600, channels: 3, background: '#2d6a4f' },
  })
    .png()
    .toBuffer();
  const res = await send(env.t.app, creator.jar, {
    url: '/api/v1/me/images?purpose=cover',
    headers: { 'x-csrf-token': creator.csrf },
    multipart: {
      file: { field: 'file', filename: 'cover.png', contentType: 'image/png', body: png },
    },
  });
  assert.equal(res.statusCode, 201, res.body);
  return res.json<{ image: { id: string } }>().image.id;
}

async function titlesOf(creator: Creator, projectId: string): Promise<string[]> {
  const res = await call(env.t.app, creator, 'GET', `/projects/${projectId}/items?limit=100`);
  return res.json<{ items: { title: string }[] }>().items.map((item) => item.title);
}

test('the overview after a sale and a tip: numbers, checklist, rows; More by keyboard; drag', async () => {
  const { app } = env.t;
  const db = env.t.runtime.db;
  const creator = await signUpCreator(app);
  assert.equal(
    (await call(app, creator, 'PATCH', '/me/profile', { tips_enabled: true })).statusCode,
    200,
  );
  const cover = await uploadCover(creator);
  const project = await makeProject(app, creator, {
    title: 'Field Recordings',
    cover_image_id: cover,
  });
  await makeProject(app, creator, { title: 'Night Walks' });
  const sellable = { body: 'Water, mostly.', ai_disclosure: { tier: 'handmade' } };
  const rivers = await makeItem(app, creator, project.id, {
    title: 'On Rivers',
    price: { model: 'fixed', amount: 450 },
    ...sellable,
  });
  assert.equal((await call(app, creator, 'POST', `/items/${rivers.id}/publish`)).statusCode, 200);
  await makeItem(app, creator, project.id, {
    title: 'Dawn Chorus',
    price: { model: 'fixed', amount: 300 },
    ...sellable,
  });
  await makeItem(app, creator, project.id, { type: 'software', title: 'Sample pack' });

  // A fan buys On Rivers and tips with a few words, through the local processor.
  const fan = await signUpFan(app);
  const bought = await call(app, fan, 'POST', '/checkout', { item_id: rivers.id });
  assert.equal(bought.statusCode, 201, bought.body);
  const order = bought.json<CheckoutBody>();
  await payOnLocalPage(app, fan.jar, order.checkout_url ?? '', 'succeeded', fan.csrf);
  const tip = await call(app, fan, 'POST', '/tips', {
    creator: creator.handle,
    amount: 500,
    currency: 'USD',
    message: 'Thank you for the river sounds!',
  });
  assert.equal(tip.statusCode, 201, tip.body);
  const tipped = tip.json<CheckoutBody>();
  await payOnLocalPage(app, fan.jar, tipped.checkout_url ?? '', 'succeeded', fan.csrf);
  assert.equal(await settledStatus(db, order.order.id), 'paid');
  assert.equal(await settledStatus(db, tipped.order.id), 'paid');

  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  await context.addCookies(
    [...creator.jar.cookies].map(([name, value]) => ({ name, value, url: baseUrl })),
  );
  const page = await context.newPage();
  const problems = watchForProblems(page);
  await page.goto(`${baseUrl}/dashboard`);

  // Numbers first: both payments today, the month the same, the money still on hold.
  const today = page.locator('#stat-today');
  assert.equal(await today.locator('.stat-card__value').textContent(), '2');
  assert.match(String(await today.textContent()), /\$9\.50/);
  assert.match(String(await page.locator('#stat-month').textContent()), /2\s*\$9\.50/);
  assert.match(String(await page.locator('#stat-pending').textContent()), /\$\d+\.\d\d/);
  const latest = page.getByRole('region', { name: 'Latest sales and tips' });
  await latest.getByText('Thank you for the river sounds!').waitFor();
  await latest.getByText('On Rivers').waitFor();
  // The checklist: a published item is done; the profile and payouts are not; no plan yet.
  const checklist = page.getByRole('region', { name: 'Get set up' });
  await checklist.getByText('1 of 3 steps done').waitFor();
  await checklist.getByRole('link', { name: 'Add a picture and a short bio' }).waitFor();
  await checklist.getByRole('link', { name: 'Set up payouts' }).waitFor();
  await checklist.getByText('Plans are not available yet.').waitFor();
  // Rows: the sale counted; an item without a cover shows its project's.
  const row = (title: string) => page.locator('.item-row', { hasText: title });
  assert.match(String(await row('On Rivers').textContent()), /1 sale\b/);
  assert.match(String(await row('Dawn Chorus').textContent()), /No sales yet/);
  const coverSrc = await page.locator('.project-card__cover').first().getAttribute('src');
  assert.equal(await row('Dawn Chorus').locator('img').getAttribute('src'), coverSrc);
  await shot(page, '07-overview-1280');
  await page.setViewportSize({ width: 390, height: 844 });
  await shot(page, '07-overview-390');
  await page.setViewportSize({ width: 1280, height: 900 });

  // The More menu from the keyboard: Enter opens it on its first action, the arrows move,
  // Escape closes it and gives focus back to the button.
  const more = page.getByRole('button', { name: 'More actions for ‘Dawn Chorus’' });
  assert.equal(await more.getAttribute('aria-expanded'), 'false');
  const menu = page.locator(`#${String(await more.getAttribute('aria-controls'))}`);
  assert.equal(await menu.isVisible(), false);
  await more.focus();
  await page.keyboard.press('Enter');
  assert.equal(await more.getAttribute('aria-expanded'), 'true');
  assert.equal(
    await page.evaluate('document.activeElement.textContent.trim()'),
    'Preview ‘Dawn Chorus’',
  );
  await page.keyboard.press('ArrowDown');
  assert.equal(
    await page.evaluate('document.activeElement.textContent.trim()'),
    'Publish ‘Dawn Chorus’',
  );
  await page.keyboard.press('End');
  assert.equal(
    await page.evaluate('document.activeElement.textContent.trim()'),
    'Delete ‘Dawn Chorus’',
  );
  await shot(page, '08-overview-menu-open-1280');
  await page.keyboard.press('Escape');
  assert.equal(await more.getAttribute('aria-expanded'), 'false');
  assert.equal(await menu.isVisible(), false);
  assert.equal(
    await page.evaluate('document.activeElement.getAttribute("aria-controls")'),
    await more.getAttribute('aria-controls'),
  );
  // Space opens it too; the publish inside it works as a plain form.
  await page.keyboard.press(' ');
  await page.keyboard.press('ArrowDown');
  await page.keyboard.press('Enter');
  await page.waitForURL(/done=item_published/);
  await row('Dawn Chorus').locator('.status-badge--published').waitFor();

  // Drag Sample pack above On Rivers: the order is saved and stays after a reload.
  assert.deepEqual(await titlesOf(creator, project.id), [
    'On Rivers',
    'Dawn Chorus',
    'Sample pack',
  ]);
  await row('Sample pack').dragTo(row('On Rivers'), { targetPosition: { x: 40, y: 4 } });
  await page.getByText('Moved ‘Sample pack’ to 1 of 3.').waitFor({ state: 'attached' });
  assert.deepEqual(await titlesOf(creator, project.id), [
    'Sample pack',
    'On Rivers',
    'Dawn Chorus',
  ]);
  assert.equal(await page.locator(`#move-up-${rivers.id}`).isDisabled(), false);
  await page.reload();
  assert.deepEqual(await page.locator(`#items-${project.id} .item-row__title`).allTextContents(), [
    'Sample pack',
    'On Rivers',
    'Dawn Chorus',
  ]);

  assert.deepEqual(problems, [], 'no console errors or CSP violations');
  await context.close();
});
