// A check the view components share on markup a caller may or may not pass.
import type { Children } from '@kitajs/html';

/**
 * Whether optional markup was given. Deliberately not a type guard: narrowing `Children` would
 * lose the alias that tells the XSS scanner the value is markup, not a raw string.
 */
export function given(value: Children | undefined): boolean {
  return value !== undefined && value !== null && value !== false && value !== '';
}
