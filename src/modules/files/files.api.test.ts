// A small file through the multipart endpoint, processed by the real worker with ffmpeg, its
// progress seen live over Server-Sent Events, then played and downloaded through signed URLs.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { after, before, test } from 'node:test';
import { createTestApp, type TestApp } from '../../../test/helpers/app.js';
import { newJar, send } from '../../../test/helpers/http.js';
import {
  call,
  makeItem,
  makeProject,
  signUpCreator,
  type Creator,
  type Err,
} from '../catalog/catalog.test-helpers.js';
import type { FileJson } from './files.api.js';

const run = promisify(execFile);
let t: TestApp;
let base: string;
let scratch: string;
let wav: Buffer;

before(async () => {
  t = await createTestApp({ runJobs: true });
  await t.app.listen({ port: 0, host: '127.0.0.1' });
  base = `http://127.0.0.1:${(t.app.server.address() as AddressInfo).port}`;
  scratch = await mkdtemp(path.join(tmpdir(), 'makenot-files-'));
  const file = path.join(scratch, 'tone.wav');
  await run('ffmpeg', ['-v', 'error', '-f', 'lavfi', '-i', 'sine=frequency=440:duration=40', file]);
  wav = await readFile(file);
});
after(async () => {
  await t.close();
  await rm(scratch, { recursive: true, force: true });
});

/** Reads `event: file` messages from the SSE stream until one says `until`. */
function fileEvents(user: Creator, until: (event: { status: string }) => boolean) {
  const seen: { id: string; status: string }[] = [];
  let opened: () => void = () => undefined;
  const connected = new Promise<void>((resolve) => {
    opened = resolve;
  });
  const done = new Promise<typeof seen>((resolve, reject) => {
    const request = http.get(
      `${base}/api/v1/me/files/events`,
      { headers: { cookie: [...user.jar.cookies].map(([k, v]) => `${k}=${v}`).join('; ') } },
      (res) => {
        assert.equal(res.headers['content-type'], 'text/event-stream; charset=utf-8');
        let buffer = '';
        res.setEncoding('utf8');
        res.on('data', (text: string) => {
          buffer += text;
          if (buffer.includes(': connected')) opened();
          let end;
          while ((end = buffer.indexOf('\n\n')) !== -1) {
            const message = buffer.slice(0, end);
            buffer = buffer.slice(end + 2);
            const data = /^data: (.*)$/m.exec(message)?.[1];
            if (!message.startsWith('event: file') || !data) continue;
            const event = JSON.parse(data) as { id: string; status: string };
            seen.push(event);
            if (until(event)) {
              request.destroy();
              resolve(seen);
            }
          }
        });
      },
    );
    request.on('error', reject);
  });
  return { connected, done };
}

/** The signed URL, pointed at this test's server (PUBLIC_URL is a placeholder here). */
function local(url: string): string {
  const parsed = new URL(url);
  return `${base}${parsed.pathname}${parsed.search}`;
}

async function uploadWav(user: Creator, itemId: string) {
  return send(t.app, user.jar, {
    url: `/api/v1/items/${itemId}/files`,
    headers: { 'x-csrf-token': user.csrf },
    multipart: {
      file: { field: 'file', filename: 'Tōne ‮3pm.wav', contentType: 'audio/wav', body: wav },
    },
  });
}

test('upload, live processing, preview for visitors, full stream and download for the owner', async () => {
  const creator = await signUpCreator(t.app);
  const project = await makeProject(t.app, creator);
  const item = await makeItem(t.app, creator, project.id, {
    type: 'audio',
    title: 'Tone',
    price: { model: 'fixed', amount: 500 },
    ai_disclosure: { tier: 'handmade' },
  });
  const events = fileEvents(creator, (e) => e.status === 'ready' || e.status === 'failed');
  await events.connected;

  const uploaded = await uploadWav(creator, item.id);
  assert.equal(uploaded.statusCode, 202, uploaded.body);
  const pending = uploaded.json<{ file: FileJson }>().file;
  assert.equal(pending.status, 'pending');
  assert.equal(pending.name, 'Tōne 3pm.wav', 'direction overrides are dropped from the name');

  const seen = await events.done;
  assert.deepEqual(
    seen.filter((e) => e.id === pending.id).map((e) => e.status),
    ['pending', 'processing', 'ready'],
  );
  const file = (await call(t.app, creator, 'GET', `/files/${pending.id}`)).json<{
    file: FileJson;
  }>().file;
  assert.equal(file.kind, 'audio');
  assert.ok(file.duration_ms && Math.abs(file.duration_ms - 40_000) < 200);
  assert.match(file.sha256 ?? '', /^[0-9a-f]{64}$/);

  // a file is ready, so the item may be published now
  const published = await call(t.app, creator, 'POST', `/items/${item.id}/publish`);
  assert.equal(published.statusCode, 200, published.body);

  // a visitor gets the preview clip; the owner the full stream
  const visitor = newJar();
  const preview = await send(t.app, visitor, { url: `/api/v1/items/${item.id}/stream` });
  assert.equal(preview.statusCode, 200);
  const previewBody = preview.json<{ url: string; expires_at: string; preview: boolean }>();
  assert.equal(previewBody.preview, true);
  const lifetime = new Date(previewBody.expires_at).getTime() - Date.now();
  assert.ok(lifetime > 0 && lifetime <= 300_000, 'signed URLs live at most 5 minutes');
  const clip = await fetch(local(previewBody.url));
  assert.equal(clip.status, 200);
  const clipBytes = Buffer.from(await clip.arrayBuffer());
  assert.ok(clipBytes.length > 0 && clipBytes.length < wav.length);

  const full = (await call(t.app, creator, 'GET', `/items/${item.id}/stream`)).json<{
    url: string;
    preview: boolean;
  }>();
  assert.equal(full.preview, false);
  const ranged = await fetch(local(full.url), { headers: { range: 'bytes=0-99' } });
  assert.equal(ranged.status, 206);
  assert.equal((await ranged.arrayBuffer()).byteLength, 100);

  // downloads: not there for the visitor (as the file's metadata is not: nothing says the
  // file exists), an attachment for the owner; tampering is 403
  const refused = await send(t.app, visitor, { url: `/api/v1/files/${file.id}/download` });
  assert.equal(refused.statusCode, 404);
  assert.equal(refused.json<Err>().error.code, 'NOT_FOUND');
  // a signed-in non-buyer gets the same answer from both
  const fan = await signUpCreator(t.app);
  for (const url of [`/files/${file.id}`, `/files/${file.id}/download`]) {
    const answer = await call(t.app, fan, 'GET', url);
    assert.equal(answer.statusCode, 404, url);
    assert.equal(answer.json<Err>().error.code, 'NOT_FOUND', url);
  }
  const download = (await call(t.app, creator, 'GET', `/files/${file.id}/download`)).json<{
    url: string;
  }>();
  const got = await fetch(local(download.url));
  assert.equal(got.status, 200);
  assert.match(
    got.headers.get('content-disposition') ?? '',
    // saved as "Artist - Title.ext", whatever the upload was called ("Tōne 3pm.wav")
    new RegExp(`^attachment; filename="${creator.handle} - Tone\\.wav"$`),
  );
  assert.equal(Buffer.from(await got.arrayBuffer()).equals(wav), true);
  const tampered = new URL(local(download.url));
  tampered.searchParams.set('exp', String(Number(tampered.searchParams.get('exp')) + 3600));
  assert.equal((await fetch(tampered)).status, 403);

  // the item page: a waveform player (the preview for a visitor), downloads for the owner
  const itemPath = new URL(item.url).pathname;
  const page = (await send(t.app, newJar(), { url: itemPath })).body;
  assert.match(page, new RegExp(`data-src="/play/${item.id}"`));
  assert.match(page, /A 30-second preview\. Those who buy it hear the whole thing\./);
  assert.ok((page.match(/<rect /g) ?? []).length >= 2 * 100, 'the waveform is drawn');
  assert.match(page, /The files come with buying this item\./);
  const ownPage = (await send(t.app, creator.jar, { url: itemPath })).body;
  assert.match(ownPage, new RegExp(`href="/download/${file.id}"`));
  assert.doesNotMatch(ownPage, /preview\. Buy/);
  const play = await send(t.app, newJar(), { url: `/play/${item.id}` });
  assert.equal(play.statusCode, 302);
  assert.match(String(play.headers.location), /\/storage\/files\/.+\/preview\.m4a\?/);
  // the page says buying brings the files; a visitor's /download/<file> finds nothing
  const locked = await send(t.app, newJar(), { url: `/download/${file.id}` });
  assert.equal(locked.statusCode, 404);

  // someone else's file is not theirs to read
  const other = await signUpCreator(t.app);
  assert.equal((await call(t.app, other, 'GET', `/files/${file.id}`)).statusCode, 404);
});

test('only the creator uploads to an item; a plain JSON body is refused', async () => {
  const creator = await signUpCreator(t.app);
  const project = await makeProject(t.app, creator);
  const item = await makeItem(t.app, creator, project.id, { type: 'digital', title: 'Pack' });
  const other = await signUpCreator(t.app);
  const foreign = await uploadWav(other, item.id);
  assert.equal(foreign.statusCode, 404);
  const json = await call(t.app, creator, 'POST', `/items/${item.id}/files`, {});
  assert.equal(json.statusCode, 415);
});

test('a video item: a poster, and the preview clip for a visitor', async () => {
  const clip = path.join(scratch, 'clip.mp4');
  await run('ffmpeg', [
    '-v', 'error', '-f', 'lavfi', '-i', 'testsrc=size=640x360:rate=25:duration=3',
    '-f', 'lavfi', '-i', 'sine=duration=3', '-c:v', 'libx264', '-preset', 'ultrafast',
    '-c:a', 'aac', '-shortest', clip,
  ]); // prettier-ignore
  const creator = await signUpCreator(t.app);
  const project = await makeProject(t.app, creator);
  const item = await makeItem(t.app, creator, project.id, {
    type: 'video',
    title: 'Clip',
    price: { model: 'fixed', amount: 300 },
    ai_disclosure: { tier: 'handmade' },
  });
  const events = fileEvents(creator, (e) => e.status === 'ready' || e.status === 'failed');
  await events.connected;
  const uploaded = await send(t.app, creator.jar, {
    url: `/api/v1/items/${item.id}/files`,
    headers: { 'x-csrf-token': creator.csrf },
    multipart: {
      file: {
        field: 'file',
        filename: 'clip.mp4',
        contentType: 'video/mp4',
        body: await readFile(clip),
      },
    },
  });
  assert.equal(uploaded.statusCode, 202);
  assert.equal((await events.done).at(-1)?.status, 'ready');
  assert.equal((await call(t.app, creator, 'POST', `/items/${item.id}/publish`)).statusCode, 200);

  const page = (await send(t.app, newJar(), { url: new URL(item.url).pathname })).body;
  assert.match(page, new RegExp(`<video[^>]+poster="/poster/${item.id}"`));
  const poster = await send(t.app, newJar(), { url: `/poster/${item.id}` });
  assert.equal(poster.statusCode, 302);
  const image = await fetch(local(String(poster.headers.location)));
  assert.equal(image.headers.get('content-type'), 'image/webp');
  const play = await send(t.app, newJar(), { url: `/play/${item.id}` });
  assert.match(String(play.headers.location), /\/preview\.mp4\?/);
});
