// The media journey of issue 5 in Chromium: a creator uploads an audio file through the
// dashboard's resumable uploader, watches it process live, publishes, and a visitor plays it on
// the item page with the waveform player, from the keyboard. Screenshots land in test-results/.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { after, before, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { lookAt } from '../helpers/accessibility.js';
import {
  signUpCreatorIn,
  startBrowserApp,
  watchForProblems,
  type BrowserApp,
} from '../helpers/browser-app.js';

const run = promisify(execFile);
let env: BrowserApp;
let browser: Browser;
let baseUrl: string;
let scratch: string;

before(async () => {
  env = await startBrowserApp({ runJobs: true });
  ({ browser, baseUrl } = env);
  scratch = await mkdtemp(path.join(tmpdir(), 'makenot-media-e2e-'));
});
after(async () => {
  await env.close();
  await rm(scratch, { recursive: true, force: true });
});

const look = (page: Page, name: string) => lookAt(page, `media-${name}`);

const currentTime = (page: Page) =>
  page.evaluate<number>('document.querySelector("[data-player-audio]").currentTime');

test('upload audio in the dashboard, see it process live, publish, play it with the keyboard', async () => {
  // a 20-second tune with some movement, so the waveform has a shape
  const wavPath = path.join(scratch, 'Harbour Bells.wav');
  await run('ffmpeg', [
    '-v',
    'error',
    '-f',
    'lavfi',
    '-i',
    'sine=frequency=330:duration=20,volume=eval=frame:volume=0.2+0.8*abs(sin(t*0.9))',
    wavPath,
  ]);
  const wav = await readFile(wavPath);

  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  const problems = watchForProblems(page);
  const { csrf } = await signUpCreatorIn(page, baseUrl, { prefix: 'bells', tier: 'small_files' });
  const api = async (url: string, data: unknown) => {
    const res = await page.request.post(`${baseUrl}/api/v1${url}`, {
      data,
      headers: { 'x-csrf-token': csrf },
    });
    assert.equal(res.status(), 201, await res.text());
    return res.json() as Promise<Record<string, { id: string; url: string }>>;
  };
  const { project } = await api('/projects', { title: 'Harbour' });
  const { item } = await api(`/projects/${project?.id}/items`, {
    type: 'audio',
    title: 'Harbour Bells',
    price: { model: 'free' },
    ai_disclosure: { tier: 'handmade' },
  });
  assert.ok(item);

  // Upload through the dashboard: progress, then the list turns "Ready" on its own.
  await page.goto(`${baseUrl}/dashboard/items/${item.id}`);
  await page.getByLabel('Choose a file to upload').setInputFiles({
    name: 'Harbour Bells.wav',
    mimeType: 'audio/wav',
    buffer: wav,
  });
  // A slow connection, so there is time to pause and resume.
  const cdp = await context.newCDPSession(page);
  await cdp.send('Network.enable');
  await cdp.send('Network.emulateNetworkConditions', {
    offline: false,
    latency: 20,
    downloadThroughput: -1,
    uploadThroughput: 400 * 1024,
  });
  await page.getByRole('button', { name: 'Upload file' }).click();
  await page.getByText(/Uploading Harbour Bells\.wav: .* \([1-9]\d?%\)/).waitFor();
  await page.getByRole('button', { name: 'Pause' }).click();
  await page.getByText('Paused. Press Resume to go on.').waitFor();
  assert.equal(await page.locator('.file-row').count(), 0, 'nothing is processed while paused');
  await cdp.send('Network.emulateNetworkConditions', {
    offline: false,
    latency: 0,
    downloadThroughput: -1,
    uploadThroughput: -1,
  });
  await page.getByRole('button', { name: 'Resume' }).click();
  await page.getByText('Harbour Bells.wav is uploaded').waitFor();
  assert.equal(await page.getByRole('button', { name: 'Pause' }).isVisible(), false);
  assert.equal(await page.getByRole('button', { name: 'Resume' }).isVisible(), false);
  await page.locator('.file-status--ready').waitFor({ timeout: 60_000 });
  assert.equal(await page.locator('.file-row').count(), 1);
  await look(page, '01-dashboard-file-ready');

  await page.getByRole('button', { name: 'Publish', exact: true }).click();
  await page.waitForURL(/done=item_published/);
  await context.close();

  // A visitor plays it.
  const visitorContext = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const visitor = await visitorContext.newPage();
  const visitorProblems = watchForProblems(visitor);
  await visitor.goto(item.url.replace(/^https?:\/\/[^/]+/, baseUrl));
  const play = visitor.getByRole('button', { name: 'Play Harbour Bells' });
  await play.waitFor();
  assert.ok(
    (await visitor.locator('.player__bars rect').count()) >= 200,
    'the waveform has its bars',
  );
  await look(visitor, '02-item-player');
  await play.click();
  // (a function, not a string: the page's CSP forbids eval)
  await visitor.waitForFunction(() => {
    const page = globalThis as unknown as {
      document: { querySelector(selector: string): { currentTime: number } };
    };
    return page.document.querySelector('[data-player-audio]').currentTime > 0.3;
  });
  await visitor.getByRole('button', { name: 'Pause Harbour Bells' }).click();
  // the position slider from the keyboard
  const slider = visitor.getByRole('slider', { name: 'Position' });
  await slider.focus();
  await visitor.keyboard.press('End');
  assert.ok((await currentTime(visitor)) > 19, 'End jumps to the end');
  await visitor.keyboard.press('Home');
  assert.equal(await currentTime(visitor), 0);
  await visitor.keyboard.press('ArrowRight');
  assert.equal(await currentTime(visitor), 5);
  assert.match(String(await slider.getAttribute('aria-valuetext')), /^0:05 of 0:2\d$/);
  await look(visitor, '03-item-player-seeked');
  await visitor.setViewportSize({ width: 390, height: 844 });
  await look(visitor, '04-item-player-phone');
  assert.deepEqual(problems, [], 'no console errors in the dashboard');
  assert.deepEqual(visitorProblems, [], 'no console errors on the item page');
  await visitorContext.close();
});
