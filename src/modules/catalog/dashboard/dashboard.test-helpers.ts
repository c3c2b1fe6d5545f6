// Helpers for the dashboard's page tests: forms posted like a browser (with the page's CSRF
// token, repeated names allowed), htmx requests, and reading the pages back.
import assert from 'node:assert/strict';
import type { FastifyInstance } from 'fastify';
import { send, type Jar } from '../../../../test/helpers/http.js';

export const HX = { 'hx-request': 'true' };
export const HOSTILE = '<script>alert("x")</script>';

export function csrfIn(html: string): string {
  const token = /name="_csrf" value="([^"]*)"/.exec(html)?.[1];
  assert.ok(token, 'the page has a _csrf field');
  return token;
}

export type Pairs = readonly (readonly [string, string])[] | Record<string, string>;

function isList(fields: Pairs): fields is readonly (readonly [string, string])[] {
  return Array.isArray(fields);
}

/** POSTs a urlencoded form; pairs may repeat a name, as checkboxes and rows do. */
export async function post(
  app: FastifyInstance,
  jar: Jar,
  url: string,
  csrf: string,
  fields: Pairs,
  headers: Record<string, string> = {},
) {
  const pairs = isList(fields) ? fields : Object.entries(fields);
  const body = new URLSearchParams();
  body.append('_csrf', csrf);
  for (const [name, value] of pairs) body.append(name, value);
  const cookie = [...jar.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  return app.inject({
    method: 'POST',
    url,
    payload: body.toString(),
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      'x-forwarded-for': jar.ip,
      cookie,
      ...headers,
    },
  });
}

export const get = (
  app: FastifyInstance,
  jar: Jar,
  url: string,
  headers?: Record<string, string>,
) => send(app, jar, { url, ...(headers && { headers }) });

/** The opening tag of the input or textarea with this id. */
export function tagOf(html: string, id: string): string {
  const tag = new RegExp(`<(?:input|textarea)[^>]*id="${id}"[^>]*>`).exec(html)?.[0];
  assert.ok(tag, `#${id} is on the page`);
  return tag;
}

/** Text outside attribute values, where a raw <script> would run. */
export const outsideAttributes = (html: string): string => html.replace(/="[^"]*"/g, '=""');
