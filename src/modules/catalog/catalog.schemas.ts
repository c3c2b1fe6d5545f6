// Boundaries of the catalogue API: every body, param and query is parsed with these.
import { z } from 'zod';
import { priceInputSchema } from './pricing.js';

export const ITEM_TYPES = [
  'audio',
  'video',
  'text',
  'image',
  'digital',
  'software',
  'course',
  'bundle',
] as const;

export const titleSchema = z
  .string({ error: 'Enter a title.' })
  .trim()
  .min(1, 'Enter a title.')
  .max(200, 'Use at most 200 characters.');

export const slugSchema = z
  .string()
  .trim()
  .max(80, 'Use at most 80 characters.')
  .regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/, 'Use lowercase letters, digits and single hyphens.');

export const descriptionSchema = z.string().max(20_000, 'Use at most 20,000 characters.');
export const bodySchema = z.string().max(200_000, 'Use at most 200,000 characters.');

export const aiDisclosureSchema = z.object({
  tier: z.enum(['handmade', 'assisted', 'generated'], {
    error: 'Choose handmade, assisted or generated.',
  }),
  statement: z.string().trim().max(2000, 'Use at most 2,000 characters.').optional(),
});

export const tagsInputSchema = z.array(z.string().max(300)).max(50, 'Use at most 10 tags.');

const releaseDateSchema = z.iso.date('Use a date like 2026-11-27.');

export const idParamsSchema = z.object({ id: z.string() });

/** An image uploaded through POST /me/images with the matching purpose; null removes it. */
export const imageIdSchema = z.string().max(100).nullable();

export const createProjectSchema = z.object({
  title: titleSchema,
  slug: slugSchema.optional(),
  description: descriptionSchema.optional(),
  cover_image_id: imageIdSchema.optional(),
});

export const updateProjectSchema = z.object({
  title: titleSchema.optional(),
  slug: slugSchema.optional(),
  description: descriptionSchema.optional(),
  cover_image_id: imageIdSchema.optional(),
});

export const createItemSchema = z.object({
  type: z.enum(ITEM_TYPES, { error: `Choose one of ${ITEM_TYPES.join(', ')}.` }),
  title: titleSchema,
  slug: slugSchema.optional(),
  description: descriptionSchema.optional(),
  body: bodySchema.optional(),
  price: priceInputSchema,
  ai_disclosure: aiDisclosureSchema.optional(),
  tags: tagsInputSchema.optional(),
  release_date: releaseDateSchema.nullable().optional(),
  credits: z.string().max(5000).optional(),
  cover_image_id: imageIdSchema.optional(),
});

export const updateItemSchema = z.object({
  title: titleSchema.optional(),
  slug: slugSchema.optional(),
  description: descriptionSchema.optional(),
  body: bodySchema.optional(),
  // Publishing goes through POST /items/:id/publish.
  status: z
    .enum(['draft', 'unlisted'], { error: 'Use draft or unlisted; publish with /publish.' })
    .optional(),
  project_id: z.string().optional(),
  price: priceInputSchema.optional(),
  ai_disclosure: aiDisclosureSchema.nullable().optional(),
  tags: tagsInputSchema.optional(),
  release_date: releaseDateSchema.nullable().optional(),
  credits: z.string().max(5000).optional(),
  cover_image_id: imageIdSchema.optional(),
});

const httpUrlSchema = z
  .string()
  .trim()
  .max(500, 'Use at most 500 characters.')
  .refine((value) => {
    if (!URL.canParse(value)) return false;
    const { protocol } = new URL(value);
    return protocol === 'https:' || protocol === 'http:';
  }, 'Use a full web address starting with https://.');

export const profileLinkSchema = z.object({
  label: z.string().trim().min(1, 'Name the link.').max(60, 'Use at most 60 characters.'),
  url: httpUrlSchema,
});

export const profileInputSchema = z.object({
  display_name: z
    .string()
    .trim()
    .min(1, 'Enter the name people know you by.')
    .max(80, 'Use at most 80 characters.')
    .optional(),
  bio: z.string().max(10_000, 'Use at most 10,000 characters.').optional(),
  links: z.array(profileLinkSchema).max(10, 'Use at most 10 links.').optional(),
  tips_enabled: z.boolean().optional(),
  avatar_image_id: imageIdSchema.optional(),
});

export const versionInputSchema = z.object({
  version: z
    .string()
    .trim()
    .min(1, 'Enter a version, like 1.2.0.')
    .max(50, 'Use at most 50 characters.'),
  changelog: z.string().max(20_000, 'Use at most 20,000 characters.').optional(),
});

export const versionPatchSchema = versionInputSchema.partial();

export const chaptersInputSchema = z.object({
  chapters: z
    .array(
      z.object({
        start_seconds: z
          .number()
          .int('Use whole seconds.')
          .min(0, 'Start at 0 or later.')
          .max(172_800, 'Chapters start within 48 hours.'),
        title: titleSchema,
      }),
    )
    .max(200, 'Use at most 200 chapters.'),
});

const idListSchema = z.array(z.string().max(100)).max(500, 'Use at most 500 ids.');
export const bundleInputSchema = z.object({ item_ids: idListSchema });
export const orderInputSchema = z.object({ ids: idListSchema });
export const tagQuerySchema = z.object({
  q: z.string().max(300).default(''),
  limit: z.coerce.number().int().min(1).max(20).default(8),
});
export const purposeQuerySchema = z.object({
  purpose: z.enum(['avatar', 'cover', 'inline'], { error: 'Use avatar, cover or inline.' }),
});
export const versionParamsSchema = z.object({ id: z.string(), versionId: z.string() });
export const creatorParamsSchema = z.object({ handle: z.string().max(100) });

export type ProfileInput = z.infer<typeof profileInputSchema>;
export type VersionInput = z.infer<typeof versionInputSchema>;
export type VersionPatch = z.infer<typeof versionPatchSchema>;
export type ChapterInput = z.infer<typeof chaptersInputSchema>['chapters'][number];

export const listQuerySchema = z.object({
  limit: z.coerce.number().int().min(1).max(100).default(20),
  cursor: z.string().max(200).optional(),
});

export type CreateProjectInput = z.infer<typeof createProjectSchema>;
export type UpdateProjectInput = z.infer<typeof updateProjectSchema>;
export type CreateItemInput = z.infer<typeof createItemSchema>;
export type UpdateItemInput = z.infer<typeof updateItemSchema>;
export type ListQuery = z.infer<typeof listQuerySchema>;

export { isUuid } from '../../platform/ids.js';

/** "Hello, Wörld!" → "hello-world"; never empty. */
export function slugify(title: string, fallback: string): string {
  const slug = title
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .slice(0, 70)
    .replace(/^-+|-+$/g, '');
  return slug || fallback;
}
