// The setup every browser journey shares: the real app listening on http://localhost:<free
// port> with PUBLIC_URL to match (WebAuthn and signed URLs need the two to agree), Chromium,
// and a collector of console errors and CSP violations.
import type { Browser, Page } from 'playwright-core';
import { createTestApp, type TestApp, type TestAppOptions } from './app.js';
import { launchBrowser } from './browser.js';
import { freePort } from './server-process.js';

export interface BrowserApp {
  t: TestApp;
  browser: Browser;
  baseUrl: string;
  close(): Promise<void>;
}

export async function startBrowserApp(options: TestAppOptions = {}): Promise<BrowserApp> {
  const port = await freePort();
  const baseUrl = `http://localhost:${port}`;
  const t = await createTestApp({ ...options, env: { PUBLIC_URL: baseUrl, ...options.env } });
  await t.app.listen({ port, host: '127.0.0.1' });
  const browser = await launchBrowser();
  return {
    t,
    browser,
    baseUrl,
    async close() {
      await browser.close();
      await t.close();
    },
  };
}

/** Console errors and uncaught exceptions (CSP violations are console errors) as they come. */
export function watchForProblems(page: Page): string[] {
  const problems: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error') problems.push(m.text());
  });
  page.on('pageerror', (e) => problems.push(e.message));
  return problems;
}
