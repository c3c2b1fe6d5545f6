import assert from 'node:assert/strict';
import { test } from 'node:test';
import { IMAGE_PRESETS, planVariants } from './image-policy.js';

test('square presets keep only the sizes the shorter side can fill', () => {
  assert.deepEqual(planVariants(IMAGE_PRESETS.avatar, 300, 200), [
    { name: '64', width: 64, height: 64 },
    { name: '128', width: 128, height: 128 },
  ]);
  assert.deepEqual(
    planVariants(IMAGE_PRESETS.cover, 4000, 3000).map((v) => v.width),
    [320, 640, 1280],
  );
});

test('width presets keep the aspect ratio and never enlarge', () => {
  assert.deepEqual(planVariants(IMAGE_PRESETS.inline, 900, 600), [
    { name: '640', width: 640, height: 427 },
  ]);
  assert.deepEqual(
    planVariants(IMAGE_PRESETS.inline, 2560, 100).map((v) => [v.width, v.height]),
    [
      [640, 25],
      [1280, 50],
    ],
  );
});

test('a source smaller than every size yields one variant at its own size', () => {
  assert.deepEqual(planVariants(IMAGE_PRESETS.avatar, 40, 50), [
    { name: '64', width: 40, height: 40 },
  ]);
  assert.deepEqual(planVariants(IMAGE_PRESETS.inline, 500, 300), [
    { name: '640', width: 500, height: 300 },
  ]);
});
