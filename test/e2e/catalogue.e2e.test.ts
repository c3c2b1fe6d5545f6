// The catalogue journey of issue 4 in Chromium: a creator builds a project with a cover and a
// tagged text item through the dashboard wizards and publishes it; a signed-out visitor then
// finds it from the home page, the creator page and the tag page. Every page is screenshotted
// at desktop and phone width and checked with axe-core.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import sharp from 'sharp';
import { describeViolations, seriousViolations } from '../helpers/accessibility.js';
import {
  signUpCreatorIn,
  startBrowserApp,
  watchForProblems,
  type BrowserApp,
} from '../helpers/browser-app.js';
import { screenshotPath } from '../helpers/browser.js';

let env: BrowserApp;
let browser: Browser;
let baseUrl: string;

before(async () => {
  env = await startBrowserApp();
  ({ browser, baseUrl } = env);
});
after(() => env.close());

/** Screenshots at 1280 and 390 px, each checked by axe and for sideways scrolling. */
async function look(page: Page, name: string) {
  for (const [suffix, width, height] of [
    ['desktop', 1280, 900],
    ['phone', 390, 844],
  ] as const) {
    await page.setViewportSize({ width, height });
    await page.screenshot({ path: screenshotPath(`catalogue-${name}-${suffix}`), fullPage: true });
    const violations = await seriousViolations(page);
    assert.deepEqual(violations, [], `${name} ${suffix}:\n${describeViolations(violations)}`);
    const overflow = Number(
      await page.evaluate('document.documentElement.scrollWidth - window.innerWidth'),
    );
    assert.ok(overflow <= 0, `${name} ${suffix} is ${overflow}px wider than the viewport`);
  }
  await page.setViewportSize({ width: 1280, height: 900 });
}

test('a creator publishes through the dashboard; a visitor finds the work three ways', async () => {
  const creatorContext = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const page = await creatorContext.newPage();
  const problems = watchForProblems(page);

  const { handle } = await signUpCreatorIn(page, baseUrl, { prefix: 'river' });

  // The project wizard, with a cover image.
  await page.goto(`${baseUrl}/dashboard`);
  await page.getByRole('link', { name: 'New project' }).first().click();
  await page.getByLabel('Title').fill('River Essays');
  await page.getByLabel('Description').fill('Essays written *beside* rivers.');
  await page.getByRole('button', { name: 'Continue' }).click();
  await page.getByText('Step 2 of 3').waitFor();
  const cover = await sharp({
    create: { width: 1000, height: 1000, channels: 3, background: '#1f5f8b' },
  })
    .png()
    .toBuffer();
  await page.getByLabel('Choose an image').setInputFiles({
    name: 'cover.png',
    mimeType: 'image/png',
    buffer: cover,
  });
  await page.getByRole('button', { name: 'Upload' }).click();
  await page.locator('#cover-picker img').waitFor();
  await page.getByRole('button', { name: 'Continue' }).click();
  await page.getByText('Step 3 of 3').waitFor();
  await page.getByRole('button', { name: 'Create project' }).click();
  await page.waitForURL(/\/dashboard\?done=project_created/);

  // The item wizard: a text item, pay what you want, tagged, handmade.
  await page.getByRole('link', { name: /^New item/ }).click();
  await page.getByRole('radio', { name: /^Text/ }).check();
  await page.getByRole('button', { name: 'Continue' }).click();
  await page.getByLabel('Title').fill('The Estuary at Dawn');
  await page.getByRole('textbox', { name: /^Text/ }).fill('The tide turns at *six*.');
  await page.getByRole('button', { name: 'Continue' }).click();
  await page.getByText('Step 3 of 4').waitFor();
  await page.getByRole('radio', { name: /^Handmade/ }).check();
  const tags = page.getByRole('combobox', { name: /Tags/ });
  await tags.fill('writing/essays/nature');
  await tags.press('Enter');
  await page.locator('.tag-chip', { hasText: 'writing/essays/nature' }).waitFor();
  await page.getByRole('button', { name: 'Continue' }).click();
  await page.getByRole('button', { name: 'Create draft' }).click();
  await page.waitForURL(/\/dashboard\/items\/[0-9a-f-]{36}\?done=item_created/);
  await look(page, '01-item-draft-editor');

  // Publish from the editor.
  await page.getByRole('button', { name: 'Publish', exact: true }).click();
  await page.waitForURL(/done=item_published/);
  await look(page, '02-item-published-editor');
  assert.deepEqual(
    problems.filter((p) => !p.includes('status of 422')),
    [],
    'no console errors or CSP violations while creating',
  );
  await creatorContext.close();

  // A signed-out visitor.
  const visitorContext = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const visitor = await visitorContext.newPage();
  const visitorProblems = watchForProblems(visitor);

  // 1. From the home page's new releases.
  await visitor.goto(`${baseUrl}/`);
  await look(visitor, '03-home');
  await visitor.getByRole('link', { name: 'The Estuary at Dawn' }).first().click();
  await visitor.waitForURL(new RegExp(`/@${handle}/river-essays/the-estuary-at-dawn$`));
  await visitor.getByRole('heading', { level: 1, name: 'The Estuary at Dawn' }).waitFor();
  assert.equal(await visitor.locator('main em', { hasText: 'six' }).count(), 1, 'markdown read');
  assert.equal((await visitor.getByText('Handmade').count()) > 0, true, 'AI badge shown');
  await look(visitor, '04-item');

  // 2. From the creator page, through the project.
  await visitor.goto(`${baseUrl}/@${handle}`);
  await look(visitor, '05-creator');
  await visitor.getByRole('link', { name: 'River Essays' }).first().click();
  await visitor.waitForURL(new RegExp(`/@${handle}/river-essays$`));
  assert.equal((await visitor.locator('main img[src*="/media/images/"]').count()) > 0, true);
  await look(visitor, '06-project');
  await visitor.getByRole('link', { name: 'The Estuary at Dawn' }).first().click();
  await visitor.waitForURL(/the-estuary-at-dawn$/);

  // 3. From the tag page of a parent tag: the whole subtree is listed.
  await visitor.goto(`${baseUrl}/tags/writing`);
  await look(visitor, '07-tag');
  await visitor.getByRole('link', { name: 'The Estuary at Dawn' }).first().click();
  await visitor.waitForURL(/the-estuary-at-dawn$/);

  // The page carries what sharing needs.
  const ogTitle = await visitor.locator('meta[property="og:title"]').getAttribute('content');
  assert.match(ogTitle ?? '', /The Estuary at Dawn/);
  const jsonLd = await visitor.locator('script[type="application/ld+json"]').textContent();
  assert.match(jsonLd ?? '', /"@type"/);
  assert.deepEqual(visitorProblems, [], 'no console errors or CSP violations for the visitor');
  await visitorContext.close();
});
