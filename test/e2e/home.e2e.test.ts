// A real browser on the real app: the home page loads with our CSP (no violations), htmx runs,
// the keyboard reaches the skip link first, and the layout holds at phone width.
import assert from 'node:assert/strict';
import type { AddressInfo } from 'node:net';
import { after, before, describe, test } from 'node:test';
import type { Browser } from 'playwright-core';
import { createTestApp, type TestApp } from '../helpers/app.js';
import { describeViolations, seriousViolations } from '../helpers/accessibility.js';
import { launchBrowser, screenshotPath } from '../helpers/browser.js';

let t: TestApp;
let browser: Browser;
let baseUrl: string;

before(async () => {
  t = await createTestApp();
  await t.app.listen({ port: 0, host: '127.0.0.1' });
  baseUrl = `http://127.0.0.1:${(t.app.server.address() as AddressInfo).port}`;
  browser = await launchBrowser();
});
after(async () => {
  await browser.close();
  await t.close();
});

describe('home page in Chromium', () => {
  for (const [name, width, height] of [
    ['home-desktop', 1280, 900],
    ['home-phone', 360, 780],
  ] as const) {
    test(`${name}: renders without console errors and saves a screenshot`, async () => {
      const context = await browser.newContext({ viewport: { width, height } });
      const page = await context.newPage();
      const problems: string[] = [];
      page.on('console', (m) => {
        if (m.type() === 'error') problems.push(m.text());
      });
      page.on('pageerror', (e) => problems.push(e.message));
      const response = await page.goto(baseUrl + '/');
      assert.equal(response?.status(), 200);
      assert.equal(await page.locator('main h1').count(), 1);
      assert.ok(await page.locator('header nav').isVisible());
      assert.equal(await page.evaluate('typeof window.htmx'), 'object');
      // Nothing wider than the viewport: the page works at phone width without sideways scroll.
      const overflow = Number(
        await page.evaluate('document.documentElement.scrollWidth - window.innerWidth'),
      );
      assert.ok(overflow <= 0, `page is ${overflow}px wider than the viewport`);
      await page.keyboard.press('Tab');
      const focused = await page.evaluate('document.activeElement?.getAttribute("href")');
      assert.equal(focused, '#main', 'the first Tab reaches the skip link');
      await page.screenshot({ path: screenshotPath(name), fullPage: true });
      const violations = await seriousViolations(page);
      assert.deepEqual(violations, [], describeViolations(violations));
      assert.deepEqual(problems, []);
      await context.close();
    });
  }
});
