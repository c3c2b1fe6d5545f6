// Test helpers for the media worker: media made by ffmpeg's own generators, small hand-built
// ZIP files, a creator with an item, and files submitted the way the upload side will.
import { execFile } from 'node:child_process';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { promisify } from 'node:util';
import { crc32, deflateRawSync } from 'node:zlib';
import pg from 'pg';
import { createTestApp, type TestApp } from '../../../test/helpers/app.js';
import type { ObjectStore } from '../../platform/storage/index.js';
import { makeItem, makeProject, signUpCreator } from '../catalog/catalog.test-helpers.js';
import { findFileById, listRenditions, type FileStatusEvent } from './files.repository.js';
import { resolveMediaOptions, type MediaOptions } from './media-options.js';
import { createFileRecord } from './media.service.js';
import { processFile } from './process-file.job.js';
import type { UploadReader } from './upload-reader.js';

const run = promisify(execFile);

export const FFMPEG = '/usr/bin/ffmpeg';
export const FFPROBE = '/usr/bin/ffprobe';
export const TOOLS = { ffmpeg: FFMPEG, ffprobe: FFPROBE };

export interface MediaFixture {
  t: TestApp;
  creatorId: string;
  itemId: string;
  /** scratch folder for generated inputs */
  work: string;
  close(): Promise<void>;
}

export async function setUpMedia(type = 'audio'): Promise<MediaFixture> {
  const t = await createTestApp();
  const creator = await signUpCreator(t.app);
  const project = await makeProject(t.app, creator);
  const item = await makeItem(t.app, creator, project.id, { type, title: 'Tide' });
  const work = await mkdtemp(path.join(tmpdir(), 'makenot-media-'));
  return {
    t,
    creatorId: creator.id,
    itemId: item.id,
    work,
    async close() {
      await t.close();
      await rm(work, { recursive: true, force: true });
    },
  };
}

/** Runs ffmpeg with the given input/output arguments into work/name and returns the path. */
export async function generate(work: string, name: string, args: readonly string[]) {
  const out = path.join(work, name);
  await run(FFMPEG, ['-v', 'error', '-nostdin', '-y', ...args, out]);
  return out;
}

export const sine = (seconds: number) => [
  '-f',
  'lavfi',
  '-i',
  `sine=frequency=440:duration=${seconds}`,
];

export interface Submitted {
  fileId: string;
}

/** Puts the bytes where an upload leaves them and records the file, as the upload side will. */
export async function submitFile(
  fixture: MediaFixture,
  store: ObjectStore,
  input: { path: string; name: string; declaredType?: string; previewStartMs?: number },
): Promise<string> {
  const file = await createFileRecord(fixture.t.runtime.db, {
    itemId: fixture.itemId,
    creatorId: fixture.creatorId,
    originalName: input.name,
    declaredType: input.declaredType ?? null,
    previewStartMs: input.previewStartMs ?? null,
  });
  if (file.upload_key === null) throw new Error('no upload key');
  await store.put(file.upload_key, createReadStream(input.path));
  return file.id;
}

export async function processNow(
  fixture: MediaFixture,
  store: ObjectStore,
  fileId: string,
  options: MediaOptions = { tools: TOOLS },
  attempt = 1,
  uploads?: UploadReader,
): Promise<void> {
  const { db, tempDir } = fixture.t.runtime;
  const deps = { db, store, tempDir, ...(uploads && { uploads }) };
  await processFile(deps, resolveMediaOptions(options), fileId, {
    attempt,
    maxAttempts: 5,
    signal: new AbortController().signal,
  });
}

export async function loadFile(fixture: MediaFixture, fileId: string) {
  const file = await findFileById(fixture.t.runtime.db, fileId);
  if (!file) throw new Error(`file ${fileId} is gone`);
  const renditions = await listRenditions(fixture.t.runtime.db, fileId);
  return { file, renditions: Object.fromEntries(renditions.map((r) => [r.name, r])) };
}

export async function listKeys(store: ObjectStore, prefix: string): Promise<string[]> {
  const keys: string[] = [];
  for await (const object of store.list(prefix)) keys.push(object.key);
  return keys.sort();
}

/** Downloads an object to work/ and returns ffprobe's view of it. */
export async function probeObject(store: ObjectStore, key: string, work: string) {
  const local = path.join(work, key.replaceAll('/', '_'));
  await pipeline((await store.get(key)).body, createWriteStream(local));
  const { stdout } = await run(FFPROBE, [
    '-v', 'error', '-show_format', '-show_streams', '-of', 'json', local,
  ]); // prettier-ignore
  const json = JSON.parse(stdout) as {
    format: { duration: string; format_name: string };
    streams: { codec_type: string; codec_name: string; width?: number; height?: number }[];
  };
  return {
    durationS: Number(json.format.duration),
    format: json.format.format_name,
    audio: json.streams.find((s) => s.codec_type === 'audio'),
    video: json.streams.find((s) => s.codec_type === 'video'),
  };
}

export async function readObject(store: ObjectStore, key: string): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of (await store.get(key)).body as AsyncIterable<Buffer>)
    chunks.push(chunk);
  return Buffer.concat(chunks);
}

/** Collects file_status notifications on the test database. */
export async function listenToFileStatus(fixture: MediaFixture) {
  const url = fixture.t.runtime.config.databaseUrl;
  if (url === undefined) throw new Error('tests run on a database URL');
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  const events: FileStatusEvent[] = [];
  const waiters: { test: (e: FileStatusEvent) => boolean; resolve: () => void }[] = [];
  client.on('notification', (message) => {
    if (message.channel === 'file_status' && message.payload) {
      const event = JSON.parse(message.payload) as FileStatusEvent;
      events.push(event);
      for (const waiter of waiters.filter((w) => w.test(event))) waiter.resolve();
    }
  });
  await client.query('listen file_status');
  return {
    events,
    /** resolves when an event matching `test` has arrived (or already had) */
    waitFor(test: (e: FileStatusEvent) => boolean): Promise<void> {
      if (events.some(test)) return Promise.resolve();
      return new Promise((resolve) => waiters.push({ test, resolve }));
    },
    /** waits until notifications sent so far have arrived */
    async settle() {
      await client.query('select 1');
    },
    close: () => client.end(),
  };
}

export interface ZipEntry {
  name: string;
  data: Buffer;
  /** store without compression */
  stored?: boolean;
}

/** A minimal ZIP writer (no ZIP64), enough to build archives and archive bombs by hand. */
export function buildZip(entries: readonly ZipEntry[]): Buffer {
  const parts: Buffer[] = [];
  const central: Buffer[] = [];
  let offset = 0;
  for (const entry of entries) {
    const name = Buffer.from(entry.name, 'utf8');
    const method = entry.stored ? 0 : 8;
    const body = entry.stored ? entry.data : deflateRawSync(entry.data);
    const crc = crc32(entry.data);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(0x0800, 6); // names are UTF-8
    local.writeUInt16LE(method, 8);
    local.writeUInt16LE(0, 10);
    local.writeUInt16LE(0x21, 12);
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(body.length, 18);
    local.writeUInt32LE(entry.data.length, 22);
    local.writeUInt16LE(name.length, 26);
    local.writeUInt16LE(0, 28);
    const header = Buffer.alloc(46);
    header.writeUInt32LE(0x02014b50, 0);
    header.writeUInt16LE(20, 4);
    header.writeUInt16LE(20, 6);
    header.writeUInt16LE(0x0800, 8);
    header.writeUInt16LE(method, 10);
    header.writeUInt16LE(0, 12);
    header.writeUInt16LE(0x21, 14);
    header.writeUInt32LE(crc, 16);
    header.writeUInt32LE(body.length, 20);
    header.writeUInt32LE(entry.data.length, 24);
    header.writeUInt16LE(name.length, 28);
    header.writeUInt32LE(offset, 42);
    parts.push(local, name, body);
    central.push(header, name);
    offset += local.length + name.length + body.length;
  }
  const directory = Buffer.concat(central);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(directory.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...parts, directory, end]);
}
