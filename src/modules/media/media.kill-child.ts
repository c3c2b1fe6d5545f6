// A worker process for the kill test (process-file.reliability.test.ts): processes one file
// against the test database and filesystem store, and is killed by the test mid-way.
// Usage: node --import tsx media.kill-child.ts <databaseUrl> <storeRoot> <tempDir> <fileId> <ffmpeg>
import { createDb, createPool } from '../../db/database.js';
import { FsObjectStore } from '../../platform/storage/index.js';
import { resolveMediaOptions } from './media-options.js';
import { processFile } from './process-file.job.js';

const [url, root, tempDir, fileId, ffmpeg] = process.argv.slice(2);
if (!url || !root || !tempDir || !fileId || !ffmpeg) throw new Error('missing arguments');
const pool = createPool(url, { max: 2 });
const db = createDb(pool);
const store = new FsObjectStore({
  root,
  secret: 'unused-secret-for-the-kill-test-child',
  publicUrl: new URL('http://unused.invalid'),
});
await processFile(
  { db, store, tempDir },
  resolveMediaOptions({ tools: { ffmpeg, ffprobe: '/usr/bin/ffprobe' } }),
  fileId,
  { attempt: 1, maxAttempts: 5, signal: new AbortController().signal },
);
await db.destroy();
