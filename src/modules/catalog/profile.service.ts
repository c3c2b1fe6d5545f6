// Creator profiles: what /@handle shows (display name, markdown bio, avatar, links, tips on/off)
// and the owner's changes to it. Only active creators have a public profile.
import { sql } from 'kysely';
import type { Executor } from '../../db/database.js';
import type { ProfileLink, UserStatus } from '../../db/schema.js';
import { notFound } from '../../platform/errors.js';
import type { Principal } from '../../platform/http/auth.js';
import { updateUser } from '../accounts/index.js';
import type { ProfileInput } from './catalog.schemas.js';
import { assertOwnImage, findImageRef, type ImageRef } from './images.service.js';
import type { CatalogDeps } from './projects.service.js';
import { storeRenderedBio } from './profile.repository.js';
import { safeHtmlOf } from './rendered-text.js';
import { markdownToText } from '../../platform/markdown/index.js';

export interface CreatorProfile {
  id: string;
  handle: string;
  displayName: string;
  /** markdown */
  bio: string;
  /** the bio as sanitised HTML (stored at write time) */
  safeBioHtml: string;
  /** the bio's words without markup, whole (shortenText cuts it) */
  bioText: string;
  avatar: ImageRef | undefined;
  links: ProfileLink[];
  tipsEnabled: boolean;
  currency: string;
  isCreator: boolean;
  status: UserStatus;
}

async function loadProfile(
  db: Executor,
  where: { id: string } | { handle: string },
): Promise<CreatorProfile | undefined> {
  let query = db
    .selectFrom('users')
    .select([
      'id',
      'handle',
      'display_name',
      'bio',
      'bio_html',
      'bio_text',
      'avatar_image_id',
      'links',
      'tips_enabled',
      'currency',
      'is_creator',
      'status',
    ]);
  query =
    'id' in where
      ? query.where('id', '=', where.id)
      : query.where(sql<string>`lower(handle)`, '=', where.handle.toLowerCase());
  const row = await query.executeTakeFirst();
  if (!row) return undefined;
  return toCreatorProfile(row, await findImageRef(db, row.avatar_image_id));
}

export interface ProfileRow {
  id: string;
  handle: string;
  display_name: string;
  bio: string;
  bio_html: string | null;
  bio_text: string | null;
  links: ProfileLink[];
  tips_enabled: boolean;
  currency: string;
  is_creator: boolean;
  status: UserStatus;
}

export function toCreatorProfile(row: ProfileRow, avatar: ImageRef | undefined): CreatorProfile {
  return {
    id: row.id,
    handle: row.handle,
    displayName: row.display_name,
    bio: row.bio,
    safeBioHtml: safeHtmlOf(row.bio, row.bio_html),
    bioText: row.bio_text ?? markdownToText(row.bio, Number.MAX_SAFE_INTEGER),
    avatar,
    links: row.links,
    tipsEnabled: row.tips_enabled,
    currency: row.currency,
    isCreator: row.is_creator,
    status: row.status,
  };
}

/** The public profile at /@handle (any letter case), or undefined when there is none to show. */
/**
 * An active creator's profile. With `departed`, also one who left (deactivated, suspended,
 * deleted): their item pages still open for buyers in the grace period, and the access rule
 * keeps them hidden from everyone else.
 */
export async function findCreatorProfile(
  db: Executor,
  handle: string,
  options: { departed?: boolean } = {},
): Promise<CreatorProfile | undefined> {
  if (handle.length > 100) return undefined;
  const profile = await loadProfile(db, { handle });
  if (!profile?.isCreator) return undefined;
  return profile.status === 'active' || options.departed === true ? profile : undefined;
}

export async function getOwnProfile(
  deps: CatalogDeps,
  principal: Principal,
): Promise<CreatorProfile> {
  const profile = await loadProfile(deps.db, { id: principal.user.id });
  if (!profile) throw notFound('account');
  return profile;
}

export async function updateProfile(
  deps: CatalogDeps,
  principal: Principal,
  input: ProfileInput,
): Promise<CreatorProfile> {
  await deps.db.transaction().execute(async (trx) => {
    if (input.avatar_image_id) {
      await assertOwnImage(trx, principal, input.avatar_image_id, 'avatar', 'avatar_image_id');
    }
    await updateUser(trx, principal.user.id, {
      ...(input.display_name !== undefined && { display_name: input.display_name }),
      ...(input.bio !== undefined && { bio: input.bio }),
      ...(input.links !== undefined && { links: JSON.stringify(input.links) }),
      ...(input.tips_enabled !== undefined && { tips_enabled: input.tips_enabled }),
      ...(input.avatar_image_id !== undefined && { avatar_image_id: input.avatar_image_id }),
    });
    if (input.bio !== undefined) await storeRenderedBio(trx, principal.user.id, input.bio);
  });
  return getOwnProfile(deps, principal);
}
