// The dashboard in a real browser on the real app, with htmx and dashboard.js: the project
// wizard (slug suggested as the title is typed, a cover uploaded), the item wizard with the tag
// typeahead driven by the keyboard, an edit with errors swapped in place, and a reorder that
// keeps focus on the moved row. Screenshots at 1280 and 390 px land in test-results/; axe-core
// checks every page.
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

let env: BrowserApp;
let browser: Browser;
let baseUrl: string;

before(async () => {
  env = await startBrowserApp();
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
