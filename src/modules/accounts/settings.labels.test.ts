// Pure rules behind the settings pages: device names, places by IP, the way back after the
// password prompt, relative times.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { describeDevice, deviceKind } from './device-label.js';
import { describePlace } from './ip-place.js';
import { safeNext } from './reauth.js';
import { flashFor, timeAgo } from './views/settings-parts.js';

test('device labels for common browsers, systems and tools', () => {
  const cases: [string | null, string][] = [
    ['Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0', 'Firefox on Linux'],
    [
      'Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1',
      'Safari on iPhone',
    ],
    [
      'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36 Edg/126.0.0.0',
      'Edge on Windows',
    ],
    [
      'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36',
      'Chrome on macOS',
    ],
    [
      'Mozilla/5.0 (Linux; Android 14; SM-S918B) AppleWebKit/537.36 (KHTML, like Gecko) SamsungBrowser/25.0 Chrome/121.0.0.0 Mobile Safari/537.36',
      'Samsung Internet on Android',
    ],
    [
      'Mozilla/5.0 (iPad; CPU OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) CriOS/126.0 Mobile/15E148 Safari/604.1',
      'Chrome on iPad',
    ],
    [
      'Mozilla/5.0 (X11; CrOS x86_64 14541.0.0) AppleWebKit/537.36 Chrome/126.0.0.0 Safari/537.36',
      'Chrome on ChromeOS',
    ],
    ['curl/8.5.0', 'curl'],
    ['python-requests/2.32.3', 'Python script'],
    ['<script>alert(1)</script>', 'Unknown browser'],
    ['', 'Unknown device'],
    [null, 'Unknown device'],
  ];
  for (const [agent, label] of cases) assert.equal(describeDevice(agent), label, String(agent));
  assert.equal(deviceKind('curl/8.5.0'), 'tool');
  assert.equal(deviceKind(cases[1]?.[0]), 'phone');
  assert.equal(deviceKind(cases[0]?.[0]), 'computer');
});

test('places: a country for public IPv4, names for private and loopback ranges', () => {
  assert.deepEqual(describePlace('81.2.69.160'), {
    kind: 'public',
    label: 'United Kingdom (81.2.69.160)',
    country: 'GB',
  });
  assert.equal(describePlace('::ffff:81.2.69.160').country, 'GB');
  assert.equal(describePlace('10.1.2.3').label, 'Local network (10.1.2.3)');
  assert.equal(describePlace('192.168.1.20').kind, 'private');
  assert.equal(describePlace('fd00::1').kind, 'private');
  assert.equal(describePlace('127.0.0.1').kind, 'loopback');
  assert.equal(describePlace('::1').kind, 'loopback');
  assert.equal(describePlace('2001:db8::1').label, '2001:db8::1');
  assert.equal(describePlace(null).label, 'Unknown place');
  assert.equal(describePlace('not an address').kind, 'unknown');
});

test('the way back after the password prompt stays on this site', () => {
  assert.equal(safeNext('/settings/security#password'), '/settings/security#password');
  for (const bad of [
    '//evil.example',
    '/\\evil.example',
    'https://evil.example',
    'javascript:x',
    '/a b',
    42,
  ]) {
    assert.equal(safeNext(bad), '/settings', String(bad));
  }
});

test('relative times and flash messages', () => {
  const now = new Date('2026-06-01T12:00:00Z');
  const ago = (seconds: number) => timeAgo(new Date(now.getTime() - seconds * 1000), now);
  assert.equal(ago(5), 'just now');
  assert.equal(ago(60), '1 minute ago');
  assert.equal(ago(7200), '2 hours ago');
  assert.equal(ago(3 * 86_400), '3 days ago');
  assert.equal(ago(400 * 86_400), '1 year ago');
  assert.equal(flashFor('password_changed')?.startsWith('Your password is changed'), true);
  assert.equal(flashFor('<script>'), undefined);
  assert.equal(flashFor('toString'), undefined);
});
