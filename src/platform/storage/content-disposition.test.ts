import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  contentDisposition,
  requestedDisposition,
  sanitizeFilename,
} from './content-disposition.js';

test('ASCII filenames are quoted; others get an RFC 8187 filename*', () => {
  assert.equal(contentDisposition('attachment', undefined), 'attachment');
  assert.equal(contentDisposition('inline', 'song.mp3'), 'inline; filename="song.mp3"');
  assert.equal(
    contentDisposition('attachment', `Bjørk's "best" (live)*.flac`),
    `attachment; filename="Bj_rk's _best_ (live)*.flac"; ` +
      `filename*=UTF-8''Bj%C3%B8rk%27s%20%22best%22%20%28live%29%2A.flac`,
  );
  assert.equal(
    contentDisposition('attachment', '100% \\ done.txt'),
    `attachment; filename="100_ _ done.txt"; filename*=UTF-8''100%25%20_%20done.txt`,
  );
});

test('filenames lose control characters and path separators', () => {
  assert.equal(sanitizeFilename('../../etc/passwd'), '.._.._etc_passwd');
  assert.equal(sanitizeFilename('a\r\nContent-Type: x'), 'a__Content-Type: x');
  assert.equal(sanitizeFilename(' .. '), 'download');
  assert.equal(sanitizeFilename(''), 'download');
});

test('no disposition and no filename means no header', () => {
  assert.equal(requestedDisposition({}), undefined);
  assert.equal(requestedDisposition({ filename: 'a.mp3' }), 'inline; filename="a.mp3"');
  assert.equal(requestedDisposition({ disposition: 'attachment' }), 'attachment');
});
