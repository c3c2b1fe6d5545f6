// OpenAPI descriptions of the catalogue endpoints (see src/platform/http/openapi.ts).
import { z } from 'zod';
import type { ApiOperation } from '../../platform/http/openapi.js';
import {
  creatorSchema,
  imageJsonSchema,
  itemSchema,
  listSchema,
  projectSchema,
} from './catalog.responses.js';
import {
  bundleInputSchema,
  chaptersInputSchema,
  orderInputSchema,
  profileInputSchema,
  purposeQuerySchema,
  tagQuerySchema,
  versionInputSchema,
  versionPatchSchema,
  createItemSchema,
  createProjectSchema,
  listQuerySchema,
  updateItemSchema,
  updateProjectSchema,
} from './catalog.schemas.js';

const projectResponse = z.object({ project: projectSchema });
const itemResponse = z.object({ item: itemSchema });
const creatorResponse = z.object({ creator: creatorSchema });
const versionSchema = z.object({
  id: z.uuid(),
  version: z.string(),
  changelog: z.string(),
  released_at: z.string(),
});
const chaptersResponse = z.object({
  chapters: z.array(z.object({ start_seconds: z.number().int(), title: z.string() })),
});
const writeRefusals = {
  401: 'NOT_SIGNED_IN or INVALID_TOKEN',
  403: 'INSUFFICIENT_SCOPE, CSRF_TOKEN_INVALID or CROSS_SITE_REQUEST',
};
const PRICE_CODES =
  'PRICE_NEGATIVE, PRICE_TOO_LARGE, PRICE_MINIMUM_ABOVE_SUGGESTED, WRONG_CURRENCY';
const PUBLISH_CODES =
  'AI_DISCLOSURE_REQUIRED, AI_STATEMENT_REQUIRED, BODY_REQUIRED, FILE_REQUIRED, COURSE_EMPTY, ' +
  'BUNDLE_EMPTY ' +
  'or PRICE_INVALID ' +
  '(the first unmet rule; fields maps every unmet rule code to a message)';

export const catalogOperations: ApiOperation[] = [
  {
    method: 'post',
    path: '/projects',
    summary: 'Create a project (the slug defaults to one made from the title)',
    tag: 'projects',
    auth: 'write',
    body: createProjectSchema,
    responses: {
      201: { description: 'the new project', schema: projectResponse },
      ...writeRefusals,
      403: 'NOT_A_CREATOR, INSUFFICIENT_SCOPE, CSRF_TOKEN_INVALID or CROSS_SITE_REQUEST',
      409: 'SLUG_TAKEN',
      422: 'VALIDATION_FAILED, with fields',
    },
  },
  {
    method: 'get',
    path: '/projects/{id}',
    summary: 'A project',
    tag: 'projects',
    auth: 'none',
    responses: { 200: { description: 'the project', schema: projectResponse }, 404: 'NOT_FOUND' },
  },
  {
    method: 'patch',
    path: '/projects/{id}',
    summary: 'Change a project; a new slug keeps the old one redirecting',
    tag: 'projects',
    auth: 'write',
    body: updateProjectSchema,
    responses: {
      200: { description: 'the project', schema: projectResponse },
      ...writeRefusals,
      404: 'NOT_FOUND (also for projects of other creators)',
      409: 'SLUG_TAKEN',
      422: 'VALIDATION_FAILED, with fields',
    },
  },
  {
    method: 'delete',
    path: '/projects/{id}',
    summary: 'Delete a project and its draft items',
    tag: 'projects',
    auth: 'write',
    responses: {
      204: 'deleted',
      ...writeRefusals,
      404: 'NOT_FOUND',
      409: 'PROJECT_NOT_EMPTY: it has published or unlisted items',
    },
  },
  {
    method: 'get',
    path: '/projects/{id}/items',
    summary: "A project's items in order (drafts and unlisted only for its creator)",
    tag: 'projects',
    auth: 'none',
    query: listQuerySchema,
    responses: {
      200: { description: 'a page of items', schema: listSchema(itemSchema) },
      404: 'NOT_FOUND',
      422: 'VALIDATION_FAILED (limit or cursor)',
    },
  },
  {
    method: 'post',
    path: '/projects/{id}/items',
    summary: 'Create a draft item in a project',
    tag: 'items',
    auth: 'write',
    body: createItemSchema,
    responses: {
      201: { description: 'the new item, a draft', schema: itemResponse },
      ...writeRefusals,
      404: 'NOT_FOUND',
      409: 'SLUG_TAKEN',
      422: `VALIDATION_FAILED, INVALID_TAG, TOO_MANY_TAGS, ${PRICE_CODES}`,
    },
  },
  {
    method: 'get',
    path: '/items/{id}',
    summary: 'An item (a draft only for its creator)',
    tag: 'items',
    auth: 'none',
    responses: { 200: { description: 'the item', schema: itemResponse }, 404: 'NOT_FOUND' },
  },
  {
    method: 'patch',
    path: '/items/{id}',
    summary: 'Change an item, move it to another project of yours, or unpublish it',
    tag: 'items',
    auth: 'write',
    body: updateItemSchema,
    responses: {
      200: { description: 'the item', schema: itemResponse },
      ...writeRefusals,
      404: 'NOT_FOUND (the item or the target project)',
      409: 'SLUG_TAKEN',
      422: `VALIDATION_FAILED, INVALID_TAG, TOO_MANY_TAGS, ${PRICE_CODES}, or for a visible item ${PUBLISH_CODES}`,
    },
  },
  {
    method: 'delete',
    path: '/items/{id}',
    summary: 'Delete an item',
    tag: 'items',
    auth: 'write',
    responses: { 204: 'deleted', ...writeRefusals, 404: 'NOT_FOUND' },
  },
  {
    method: 'post',
    path: '/items/{id}/publish',
    summary: 'Publish an item once it meets every publishing rule',
    tag: 'items',
    auth: 'write',
    responses: {
      200: { description: 'the item, published', schema: itemResponse },
      ...writeRefusals,
      404: 'NOT_FOUND',
      422: PUBLISH_CODES,
    },
  },
  {
    method: 'get',
    path: '/me/projects',
    summary: 'Your projects in order',
    tag: 'me',
    auth: 'user',
    query: listQuerySchema,
    responses: {
      200: { description: 'a page of projects', schema: listSchema(projectSchema) },
      401: 'NOT_SIGNED_IN or INVALID_TOKEN',
      422: 'VALIDATION_FAILED (limit or cursor)',
    },
  },
  {
    method: 'get',
    path: '/items/{id}/versions',
    summary: "An item's versions with changelogs, newest first",
    tag: 'items',
    auth: 'none',
    responses: {
      200: { description: 'the versions', schema: z.object({ items: z.array(versionSchema) }) },
      404: 'NOT_FOUND',
    },
  },
  {
    method: 'post',
    path: '/items/{id}/versions',
    summary: 'Add a version (software, digital, audio and video items)',
    tag: 'items',
    auth: 'write',
    body: versionInputSchema,
    responses: {
      201: { description: 'the new version', schema: z.object({ version: versionSchema }) },
      ...writeRefusals,
      404: 'NOT_FOUND',
      409: 'VERSION_TAKEN',
      422: 'VALIDATION_FAILED or VERSIONS_NOT_SUPPORTED',
    },
  },
  {
    method: 'patch',
    path: '/items/{id}/versions/{versionId}',
    summary: "Change a version's name or changelog",
    tag: 'items',
    auth: 'write',
    body: versionPatchSchema,
    responses: {
      200: { description: 'the version', schema: z.object({ version: versionSchema }) },
      ...writeRefusals,
      404: 'NOT_FOUND',
      409: 'VERSION_TAKEN',
      422: 'VALIDATION_FAILED',
    },
  },
  {
    method: 'delete',
    path: '/items/{id}/versions/{versionId}',
    summary: 'Delete a version',
    tag: 'items',
    auth: 'write',
    responses: { 204: 'deleted', ...writeRefusals, 404: 'NOT_FOUND' },
  },
  {
    method: 'get',
    path: '/items/{id}/chapters',
    summary: "An audio item's chapters by start time",
    tag: 'items',
    auth: 'none',
    responses: { 200: { description: 'the chapters', schema: chaptersResponse }, 404: 'NOT_FOUND' },
  },
  {
    method: 'put',
    path: '/items/{id}/chapters',
    summary: "Replace an audio item's chapters",
    tag: 'items',
    auth: 'write',
    body: chaptersInputSchema,
    responses: {
      200: { description: 'the chapters', schema: chaptersResponse },
      ...writeRefusals,
      404: 'NOT_FOUND',
      422: 'VALIDATION_FAILED, CHAPTERS_AUDIO_ONLY or CHAPTERS_OVERLAP',
    },
  },
  {
    method: 'get',
    path: '/items/{id}/bundle',
    summary: "A bundle's items (others see the published ones)",
    tag: 'items',
    auth: 'none',
    responses: {
      200: { description: 'the items', schema: z.object({ items: z.array(itemSchema) }) },
      404: 'NOT_FOUND',
    },
  },
  {
    method: 'put',
    path: '/items/{id}/bundle',
    summary: "Replace a bundle's items: the creator's own, no bundles",
    tag: 'items',
    auth: 'write',
    body: bundleInputSchema,
    responses: {
      200: { description: 'the items', schema: z.object({ items: z.array(itemSchema) }) },
      ...writeRefusals,
      404: 'NOT_FOUND',
      422: 'VALIDATION_FAILED, NOT_A_BUNDLE or BUNDLE_ITEM_INVALID',
    },
  },
  {
    method: 'put',
    path: '/projects/{id}/items/order',
    summary: 'Reorder items: the listed ids first, in order; the rest keep theirs after them',
    tag: 'projects',
    auth: 'write',
    body: orderInputSchema,
    responses: { 204: 'reordered', ...writeRefusals, 404: 'NOT_FOUND', 422: 'ORDER_INVALID' },
  },
  {
    method: 'put',
    path: '/me/projects/order',
    summary: "Reorder the caller's projects the same way",
    tag: 'projects',
    auth: 'write',
    body: orderInputSchema,
    responses: {
      204: 'reordered',
      ...writeRefusals,
      403: 'NOT_A_CREATOR, INSUFFICIENT_SCOPE, CSRF_TOKEN_INVALID or CROSS_SITE_REQUEST',
      422: 'ORDER_INVALID',
    },
  },
  {
    method: 'get',
    path: '/creators/{handle}',
    summary: "A creator's public profile",
    tag: 'creators',
    auth: 'none',
    responses: { 200: { description: 'the profile', schema: creatorResponse }, 404: 'NOT_FOUND' },
  },
  {
    method: 'get',
    path: '/me/profile',
    summary: "The caller's own profile",
    tag: 'creators',
    auth: 'user',
    responses: {
      200: { description: 'the profile', schema: creatorResponse },
      401: 'NOT_SIGNED_IN',
    },
  },
  {
    method: 'patch',
    path: '/me/profile',
    summary: 'Change display name, markdown bio, links, tips on/off and avatar',
    tag: 'creators',
    auth: 'write',
    body: profileInputSchema,
    responses: {
      200: { description: 'the profile', schema: creatorResponse },
      ...writeRefusals,
      422: 'VALIDATION_FAILED or IMAGE_NOT_FOUND',
    },
  },
  {
    method: 'post',
    path: '/me/images',
    summary:
      'Upload an image as multipart/form-data (field `file`, at most 20 MB): JPEG, PNG, WebP, ' +
      'GIF or AVIF, re-encoded to WebP sizes; attach it by id as avatar_image_id or ' +
      'cover_image_id, or use its url in markdown (purpose inline)',
    tag: 'creators',
    auth: 'write',
    query: purposeQuerySchema,
    responses: {
      201: { description: 'the stored image', schema: z.object({ image: imageJsonSchema }) },
      ...writeRefusals,
      403: 'NOT_A_CREATOR (covers and inline images), INSUFFICIENT_SCOPE or CSRF_TOKEN_INVALID',
      413: 'IMAGE_TOO_LARGE',
      415: 'UNSUPPORTED_MEDIA_TYPE: not multipart/form-data',
      422: 'VALIDATION_FAILED, IMAGE_TYPE_NOT_ALLOWED, IMAGE_UNREADABLE or IMAGE_TOO_MANY_PIXELS',
      429: 'RATE_LIMITED',
    },
  },
  {
    method: 'get',
    path: '/tags',
    summary: 'Tags for a typeahead: by prefix of the path or of any level, most used first',
    tag: 'tags',
    auth: 'none',
    query: tagQuerySchema,
    responses: {
      200: {
        description: 'matching tags with their published item counts',
        schema: z.object({ items: z.array(z.object({ path: z.string(), items: z.number() })) }),
      },
    },
  },
];
