// Test helpers for the catalogue: creators made through the real API, and JSON calls with
// the session's CSRF token.
import type { FastifyInstance } from 'fastify';
import { signUp, type TestUser } from '../../../test/helpers/factories.js';
import { csrfFor, send } from '../../../test/helpers/http.js';

export interface Creator extends TestUser {
  csrf: string;
}

export type Err = { error: { code: string; fields?: Record<string, string> } };
export type Method = 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';

export async function signUpCreator(app: FastifyInstance): Promise<Creator> {
  const user = await signUp(app);
  let csrf = await csrfFor(app, user.jar);
  const res = await send(app, user.jar, {
    url: '/api/v1/me/creator',
    json: {},
    headers: { 'x-csrf-token': csrf },
  });
  if (res.statusCode !== 200) throw new Error(`creator failed: ${res.statusCode} ${res.body}`);
  // becoming a creator rotates the session, and with it the CSRF token
  csrf = await csrfFor(app, user.jar);
  return { ...user, csrf };
}

export async function signUpFan(app: FastifyInstance): Promise<Creator> {
  const user = await signUp(app);
  return { ...user, csrf: await csrfFor(app, user.jar) };
}

export function call(
  app: FastifyInstance,
  user: Creator,
  method: Method,
  url: string,
  json?: unknown,
) {
  return send(app, user.jar, {
    method,
    url: `/api/v1${url}`,
    ...(json !== undefined && { json }),
    headers: { 'x-csrf-token': user.csrf },
  });
}

export interface ProjectBody {
  id: string;
  slug: string;
  title: string;
  description: string;
  url: string;
}

export interface ItemBody {
  id: string;
  project_id: string;
  type: string;
  title: string;
  slug: string;
  description: string;
  body: string;
  status: string;
  url: string;
  permalink: string;
  price: Record<string, unknown>;
  ai_disclosure: { tier: string; statement?: string } | null;
  tags: string[];
}

export async function makeProject(
  app: FastifyInstance,
  user: Creator,
  body: Record<string, unknown> = { title: 'Field Recordings' },
): Promise<ProjectBody> {
  const res = await call(app, user, 'POST', '/projects', body);
  if (res.statusCode !== 201) throw new Error(`project failed: ${res.statusCode} ${res.body}`);
  return res.json<{ project: ProjectBody }>().project;
}

export async function makeItem(
  app: FastifyInstance,
  user: Creator,
  projectId: string,
  body: Record<string, unknown> = {},
): Promise<ItemBody> {
  const res = await call(app, user, 'POST', `/projects/${projectId}/items`, {
    type: 'text',
    title: 'Notes from the river',
    price: { model: 'free' },
    ...body,
  });
  if (res.statusCode !== 201) throw new Error(`item failed: ${res.statusCode} ${res.body}`);
  return res.json<{ item: ItemBody }>().item;
}
