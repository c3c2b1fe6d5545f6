// The preview clip's start, chosen in the item editor after upload, through the real app with
// jobs running and real ffmpeg: the field shows the file's length, a wrong or too late start is
// refused beside the field, a saved start makes the clip again (audio from the original, video
// cut from the stream) at that point, an empty one goes back to a third of the way in, and
// someone else's item is a 404.
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { createTestApp, type TestApp } from '../../../test/helpers/app.js';
import { until } from '../../../test/helpers/until.js';
import {
  makeItem,
  makeProject,
  signUpCreator,
  type Creator,
} from '../catalog/catalog.test-helpers.js';
import { get, post } from '../catalog/dashboard/dashboard.test-helpers.js';
import {
  generate,
  loadFile,
  probeObject,
  processNow,
  sine,
  submitFile,
  type MediaFixture,
} from './media.test-helpers.js';

let t: TestApp;
let creator: Creator;
let work: string;

before(async () => {
  t = await createTestApp({
    runJobs: true,
    env: { FFMPEG_PATH: '/usr/bin/ffmpeg', FFPROBE_PATH: '/usr/bin/ffprobe' },
  });
  creator = await signUpCreator(t.app);
  work = await mkdtemp(path.join(tmpdir(), 'makenot-preview-'));
});
after(async () => {
  await t.close();
  await rm(work, { recursive: true, force: true });
});

/** An item of the type with one processed file made by ffmpeg from `args`. */
async function itemWithMedia(type: 'audio' | 'video', name: string, args: readonly string[]) {
  const project = await makeProject(t.app, creator, { title: `Preview ${name}` });
  const item = await makeItem(t.app, creator, project.id, { type, title: name });
  const fixture: MediaFixture = {
    t,
    creatorId: creator.id,
    itemId: item.id,
    work,
    close: () => Promise.resolve(),
  };
  const source = await generate(work, name, args);
  const fileId = await submitFile(fixture, t.runtime.storage, { path: source, name });
  await processNow(fixture, t.runtime.storage, fileId);
  const { file } = await loadFile(fixture, fileId);
  assert.equal(file.status, 'ready', file.error ?? '');
  return { itemId: item.id, fileId, fixture };
}

const previewStart = async (fixture: MediaFixture, fileId: string) =>
  Number((await loadFile(fixture, fileId)).renditions.preview?.metadata.start_ms);

test('audio: a start is refused beside the field when wrong, saved, and the clip made again', async () => {
  const { itemId, fileId, fixture } = await itemWithMedia('audio', 'long.mp3', [
    ...sine(100), '-b:a', '96k',
  ]); // prettier-ignore
  assert.ok(Math.abs((await previewStart(fixture, fileId)) - 33_333) < 400, 'a third in at first');
  const editor = await get(t.app, creator.jar, `/dashboard/items/${itemId}`);
  assert.match(editor.body, /id="preview-title">Preview clip/);
  assert.match(editor.body, /id="field-preview_start"[^>]*value=""/);
  assert.match(editor.body, /The file is 1:40 long\./);

  const url = `/dashboard/items/${itemId}/preview`;
  const wrong = await post(t.app, creator.jar, url, creator.csrf, { preview_start: 'soon' });
  assert.equal(wrong.statusCode, 422);
  assert.match(wrong.body, /id="field-preview_start"[^>]*aria-invalid="true"/);
  assert.match(wrong.body, /value="soon"/);
  const late = await post(t.app, creator.jar, url, creator.csrf, { preview_start: '2:00' });
  assert.equal(late.statusCode, 422);
  assert.match(late.body, /past the end: the file is 1:40 long/);

  const saved = await post(t.app, creator.jar, url, creator.csrf, { preview_start: '0:20' });
  assert.equal(saved.statusCode, 303);
  assert.equal(saved.headers.location, `/dashboard/items/${itemId}?done=preview_saved#preview`);
  await until(
    async () => ((await previewStart(fixture, fileId)) === 20_000 ? true : undefined),
    'the clip made again from 0:20',
  );
  const clip = await probeObject(t.runtime.storage, `files/${fileId}/preview.m4a`, work);
  assert.ok(Math.abs(clip.durationS - 30) < 0.3, `preview ${clip.durationS}`);
  const again = await get(t.app, creator.jar, `/dashboard/items/${itemId}?done=preview_saved`);
  assert.match(again.body, /id="field-preview_start"[^>]*value="0:20"/);
  assert.match(again.body, /Preview start saved\./);

  // empty: back to a third of the way in
  await post(t.app, creator.jar, url, creator.csrf, { preview_start: '' });
  await until(
    async () => (Math.abs((await previewStart(fixture, fileId)) - 33_333) < 400 ? true : undefined),
    'the clip back at a third in',
  );

  const other = await signUpCreator(t.app);
  const theirs = await post(t.app, other.jar, url, other.csrf, { preview_start: '0:05' });
  assert.equal(theirs.statusCode, 404);
});

test('video: the clip is cut again from the stream at the new start', async () => {
  const { itemId, fileId, fixture } = await itemWithMedia('video', 'film.mp4', [
    '-f', 'lavfi', '-i', 'testsrc=size=320x240:rate=25:duration=40', ...sine(40),
    '-c:v', 'libx264', '-preset', 'ultrafast', '-c:a', 'aac', '-shortest',
  ]); // prettier-ignore
  const url = `/dashboard/items/${itemId}/preview`;
  const saved = await post(t.app, creator.jar, url, creator.csrf, { preview_start: '4' });
  assert.equal(saved.statusCode, 303);
  // cut without re-encoding: it starts at the keyframe at or before 4 s
  await until(async () => {
    const start = await previewStart(fixture, fileId);
    return start !== 10_000 && start <= 4000 && start >= 2000 ? true : undefined;
  }, 'the video clip cut again near 0:04');
  const clip = await probeObject(t.runtime.storage, `files/${fileId}/preview.mp4`, work);
  assert.ok(clip.durationS > 25, `preview ${clip.durationS}`);
});
