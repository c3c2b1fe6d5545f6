// Hierarchical tags as normalised paths: "Music / Electronic/Ambient " → "music/electronic/ambient".
import { AppError, type FieldErrors } from '../../platform/errors.js';

export const MAX_TAGS_PER_ITEM = 10;
export const MAX_TAG_DEPTH = 5;
export const MAX_SEGMENT_LENGTH = 40;

const SEGMENT = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;

export type NormalisedTag = { ok: true; path: string } | { ok: false; message: string };

export function normaliseTag(input: string): NormalisedTag {
  const segments = input
    .normalize('NFKC')
    .toLowerCase()
    .split('/')
    .map((s) => s.trim().replace(/[\s_]+/g, '-'));
  if (segments.every((s) => s === '')) return { ok: false, message: 'Enter a tag.' };
  if (segments.some((s) => s === '')) return { ok: false, message: 'Remove the empty level.' };
  if (segments.length > MAX_TAG_DEPTH) {
    return { ok: false, message: `Use at most ${MAX_TAG_DEPTH} levels.` };
  }
  for (const segment of segments) {
    if (segment.length > MAX_SEGMENT_LENGTH) {
      return { ok: false, message: `Use at most ${MAX_SEGMENT_LENGTH} characters per level.` };
    }
    if (!SEGMENT.test(segment)) {
      return { ok: false, message: 'Use letters a–z, digits and hyphens, levels split by /.' };
    }
  }
  return { ok: true, path: segments.join('/') };
}

/** "a/b/c" → ["a", "a/b", "a/b/c"]: every level exists as a tag of its own for browsing. */
export function tagWithAncestors(path: string): string[] {
  const segments = path.split('/');
  return segments.map((_, i) => segments.slice(0, i + 1).join('/'));
}

/** Normalises a list, removes duplicates, or throws 422 with a field per bad tag. */
export function normaliseTags(inputs: readonly string[]): string[] {
  const fields: FieldErrors = {};
  const paths = new Set<string>();
  inputs.forEach((input, i) => {
    const result = normaliseTag(input);
    if (result.ok) paths.add(result.path);
    else fields[`tags.${i}`] = result.message;
  });
  if (Object.keys(fields).length > 0) {
    throw new AppError('INVALID_TAG', 422, 'Some tags are not valid.', { fields });
  }
  if (paths.size > MAX_TAGS_PER_ITEM) {
    throw new AppError('TOO_MANY_TAGS', 422, `Use at most ${MAX_TAGS_PER_ITEM} tags.`, {
      fields: { tags: `Use at most ${MAX_TAGS_PER_ITEM} tags.` },
    });
  }
  return [...paths];
}
