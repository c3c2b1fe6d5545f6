// OpenAPI descriptions of the catalogue endpoints (see src/platform/http/openapi.ts).
import { z } from 'zod';
import type { ApiOperation } from '../../platform/http/openapi.js';
import { itemSchema, listSchema, projectSchema } from './catalog.responses.js';
import {
  createItemSchema,
  createProjectSchema,
  listQuerySchema,
  updateItemSchema,
  updateProjectSchema,
} from './catalog.schemas.js';

const projectResponse = z.object({ project: projectSchema });
const itemResponse = z.object({ item: itemSchema });
const writeRefusals = {
  401: 'NOT_SIGNED_IN or INVALID_TOKEN',
  403: 'INSUFFICIENT_SCOPE, CSRF_TOKEN_INVALID or CROSS_SITE_REQUEST',
};
const PRICE_CODES =
  'PRICE_NEGATIVE, PRICE_TOO_LARGE, PRICE_MINIMUM_ABOVE_SUGGESTED, WRONG_CURRENCY';
const PUBLISH_CODES =
  'AI_DISCLOSURE_REQUIRED, AI_STATEMENT_REQUIRED, BODY_REQUIRED, FILE_REQUIRED or PRICE_INVALID ' +
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
];
