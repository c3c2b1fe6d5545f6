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

async function csrfOf(page: Page, baseUrl: string): Promise<string> {
  const answer = await page.request.get(`${baseUrl}/api/v1/auth/csrf`);
  return ((await answer.json()) as { token: string }).token;
}

/**
 * Signs the page's browser context up as a new creator through the real API and answers the
 * handle and the session's CSRF token (becoming a creator rotates the session, so it is fresh).
 */
export async function signUpCreatorIn(
  page: Page,
  baseUrl: string,
  options: { prefix?: string; tier?: string } = {},
): Promise<{ handle: string; csrf: string }> {
  const handle = `${options.prefix ?? 'maker'}${Date.now().toString(36)}`;
  const signup = await page.request.post(`${baseUrl}/api/v1/auth/signup`, {
    data: { email: `${handle}@example.com`, password: 'a long and private passphrase', handle },
  });
  if (signup.status() !== 201) throw new Error(`signup answered ${signup.status()}`);
  const became = await page.request.post(`${baseUrl}/api/v1/me/creator`, {
    data: options.tier ? { tier: options.tier } : {},
    headers: { 'x-csrf-token': await csrfOf(page, baseUrl) },
  });
  if (became.status() !== 200) throw new Error(`becoming a creator answered ${became.status()}`);
  return { handle, csrf: await csrfOf(page, baseUrl) };
}
