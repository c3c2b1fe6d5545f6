// Work for sale in browser journeys, made through the real API in the creator's browser context:
// a processed audio item (a real tone through the real worker) and a text item.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import type { Page } from 'playwright-core';
import { until } from '../../src/modules/payments/payments.test-helpers.js';
import type { BrowserApp } from './browser-app.js';

const run = promisify(execFile);

export interface ItemMade {
  id: string;
  url: string;
}

function apiOf(page: Page, env: BrowserApp, csrf: string) {
  return async (url: string, data: unknown) => {
    const res = await page.request.post(`${env.baseUrl}/api/v1${url}`, {
      data,
      headers: { 'x-csrf-token': csrf },
    });
    assert.ok(res.status() < 300, await res.text());
    return res.json() as Promise<Record<string, ItemMade & { status: string }>>;
  };
}

/** A published audio item with a processed file (a tone of `seconds`), made in `scratch`. */
export async function audioForSale(
  env: BrowserApp,
  page: Page,
  csrf: string,
  options: { title: string; project: string; amount: number; seconds: number; scratch: string },
): Promise<ItemMade> {
  const wavPath = path.join(options.scratch, `${options.title}.wav`);
  await run('ffmpeg', [
    '-v',
    'error',
    '-f',
    'lavfi',
    '-i',
    `sine=frequency=220:duration=${options.seconds}`,
    wavPath,
  ]);
  const api = apiOf(page, env, csrf);
  const { project } = await api('/projects', { title: options.project });
  const { item } = await api(`/projects/${project?.id}/items`, {
    type: 'audio',
    title: options.title,
    price: { model: 'fixed', amount: options.amount },
    ai_disclosure: { tier: 'handmade' },
  });
  assert.ok(item);
  const upload = await page.request.post(`${env.baseUrl}/api/v1/items/${item.id}/files`, {
    multipart: {
      file: {
        name: `${options.title}.wav`,
        mimeType: 'audio/wav',
        buffer: await readFile(wavPath),
      },
    },
    headers: { 'x-csrf-token': csrf },
  });
  assert.equal(upload.status(), 202, await upload.text());
  const { file } = (await upload.json()) as { file: { id: string } };
  // processing runs in the worker: wait until the file is ready (a database probe, no sleeps)
  await until(
    async () => {
      const row = await env.t.runtime.db
        .selectFrom('files')
        .select('status')
        .where('id', '=', file.id)
        .executeTakeFirst();
      return row?.status === 'ready' ? true : undefined;
    },
    'the audio file to be processed',
    60_000,
  );
  await api(`/items/${item.id}/publish`, {});
  return item;
}

/** A published text item for sale. */
export async function textForSale(
  env: BrowserApp,
  page: Page,
  csrf: string,
  options: { title: string; project: string; amount: number; body: string },
): Promise<ItemMade> {
  const api = apiOf(page, env, csrf);
  const { project } = await api('/projects', { title: options.project });
  const { item } = await api(`/projects/${project?.id}/items`, {
    type: 'text',
    title: options.title,
    body: options.body,
    price: { model: 'fixed', amount: options.amount },
    ai_disclosure: { tier: 'handmade' },
  });
  assert.ok(item);
  await api(`/items/${item.id}/publish`, {});
  return item;
}
