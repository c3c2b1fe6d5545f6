// The JSON shapes of API.md: project {id, slug, title, description, url} and
// item {id, project_id, type, title, description, status, url, permalink, price, ai_disclosure, tags}.
import { z } from 'zod';
import type { ReadableText } from '../access/index.js';
import { ITEM_TYPES } from './catalog.schemas.js';
import { priceSchema, toPrice } from './pricing.js';
import type { ImageRef } from './images.service.js';
import type { ItemRow } from './items.repository.js';
import type { CreatorProfile } from './profile.service.js';
import type { Keyset, ProjectRow } from './projects.repository.js';

export const imageJsonSchema = z.object({
  id: z.uuid(),
  /** a middle size */
  url: z.string(),
  /** every size, as an HTML srcset of absolute URLs */
  srcset: z.string(),
  width: z.number().int(),
  height: z.number().int(),
});

export type ImageJson = z.infer<typeof imageJsonSchema>;

export function toImageJson(image: ImageRef | undefined, publicUrl: URL): ImageJson | null {
  if (!image) return null;
  const absolute = (path: string) => new URL(path, publicUrl).href;
  return {
    id: image.id,
    url: absolute(image.src),
    srcset: image.srcset
      .split(', ')
      .map((entry) => {
        const [path = '', width = ''] = entry.split(' ');
        return `${absolute(path)} ${width}`;
      })
      .join(', '),
    width: image.width,
    height: image.height,
  };
}

export const projectSchema = z.object({
  id: z.uuid(),
  slug: z.string(),
  title: z.string(),
  description: z.string(),
  url: z.string(),
  cover: imageJsonSchema.nullable(),
  creator: z.object({ id: z.uuid(), handle: z.string() }),
  created_at: z.string(),
  updated_at: z.string(),
});

export const itemSchema = z.object({
  id: z.uuid(),
  project_id: z.uuid(),
  type: z.enum(ITEM_TYPES),
  title: z.string(),
  slug: z.string(),
  description: z.string(),
  /** the whole text (markdown) for those the access rule lets read it; null for everyone else */
  body: z.string().nullable(),
  /** the part everyone may read: before the creator's paywall divider, or a teaser */
  body_preview: z.string(),
  status: z.enum(['draft', 'published', 'unlisted']),
  url: z.string(),
  permalink: z.string(),
  price: priceSchema,
  ai_disclosure: z
    .object({
      tier: z.enum(['handmade', 'assisted', 'generated']),
      statement: z.string().optional(),
    })
    .nullable(),
  tags: z.array(z.string()),
  release_date: z.string().nullable(),
  credits: z.string(),
  cover: imageJsonSchema.nullable(),
  published_at: z.string().nullable(),
  created_at: z.string(),
  updated_at: z.string(),
});

export const creatorSchema = z.object({
  id: z.uuid(),
  handle: z.string(),
  display_name: z.string(),
  bio: z.string(),
  avatar: imageJsonSchema.nullable(),
  links: z.array(z.object({ label: z.string(), url: z.string() })),
  tips_enabled: z.boolean(),
  currency: z.string(),
  url: z.string(),
});

export type CreatorJson = z.infer<typeof creatorSchema>;

export function toCreatorJson(profile: CreatorProfile, publicUrl: URL): CreatorJson {
  return {
    id: profile.id,
    handle: profile.handle,
    display_name: profile.displayName,
    bio: profile.bio,
    avatar: toImageJson(profile.avatar, publicUrl),
    links: profile.links,
    tips_enabled: profile.tipsEnabled,
    currency: profile.currency,
    url: new URL(`/@${encodeURIComponent(profile.handle)}`, publicUrl).href,
  };
}

export type ProjectJson = z.infer<typeof projectSchema>;
export type ItemJson = z.infer<typeof itemSchema>;

const segment = encodeURIComponent;

export function toProjectJson(row: ProjectRow, publicUrl: URL, cover?: ImageRef): ProjectJson {
  return {
    id: row.id,
    slug: row.slug,
    title: row.title,
    description: row.description,
    url: new URL(`/@${segment(row.handle)}/${segment(row.slug)}`, publicUrl).href,
    cover: toImageJson(cover, publicUrl),
    creator: { id: row.creator_id, handle: row.handle },
    created_at: row.created_at.toISOString(),
    updated_at: row.updated_at.toISOString(),
  };
}

/** An item as JSON; its text is what `readableText` allowed this caller (access module). */
export function toItemJson(
  row: ItemRow,
  text: ReadableText,
  tags: readonly string[],
  publicUrl: URL,
  cover?: ImageRef,
): ItemJson {
  const path = `/@${segment(row.handle)}/${segment(row.project_slug)}/${segment(row.slug)}`;
  return {
    id: row.id,
    project_id: row.project_id,
    type: row.type,
    title: row.title,
    slug: row.slug,
    description: row.description,
    body: text.body,
    body_preview: text.body_preview,
    status: row.status,
    url: new URL(path, publicUrl).href,
    permalink: new URL(`/i/${row.id}`, publicUrl).href,
    price: toPrice(row, row.currency),
    ai_disclosure:
      row.ai_tier === null
        ? null
        : { tier: row.ai_tier, ...(row.ai_statement && { statement: row.ai_statement }) },
    tags: [...tags],
    release_date: row.release_date,
    credits: row.credits,
    cover: toImageJson(cover, publicUrl),
    published_at: row.published_at?.toISOString() ?? null,
    created_at: row.created_at.toISOString(),
    updated_at: row.updated_at.toISOString(),
  };
}

export function listSchema<T extends z.ZodType>(item: T) {
  return z.object({ items: z.array(item), next_cursor: z.string().nullable() });
}

export function encodeCursor(keyset: Keyset): string {
  return Buffer.from(`${keyset.position}:${keyset.id}`).toString('base64url');
}

/** undefined for anything that is not a cursor we made (the caller answers 422). */
export function decodeCursor(cursor: string): Keyset | undefined {
  const match = /^(-?\d{1,10}):([0-9a-f-]{36})$/i.exec(
    Buffer.from(cursor, 'base64url').toString('utf8'),
  );
  if (!match?.[1] || !match[2]) return undefined;
  return { position: Number(match[1]), id: match[2] };
}
