// Factories: real accounts made through the real API, with unique values per call.
import { randomBytes } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { newJar, send, type Jar } from './http.js';

export interface TestUser {
  id: string;
  email: string;
  handle: string;
  password: string;
  jar: Jar;
}

export function uniqueHandle(prefix = 'user'): string {
  return `${prefix}${randomBytes(4).toString('hex')}`;
}

export async function signUp(
  app: FastifyInstance,
  overrides: Partial<{
    email: string;
    handle: string;
    password: string;
    display_name: string;
  }> = {},
): Promise<TestUser> {
  const handle = overrides.handle ?? uniqueHandle();
  const email = overrides.email ?? `${handle}@example.com`;
  const password = overrides.password ?? `correct horse ${randomBytes(4).toString('hex')}`;
  const jar = newJar();
  const response = await send(app, jar, {
    url: '/api/v1/auth/signup',
    json: {
      email,
      password,
      handle,
      ...(overrides.display_name && { display_name: overrides.display_name }),
    },
  });
  if (response.statusCode !== 201)
    throw new Error(`signup failed: ${response.statusCode} ${response.body}`);
  const { user } = response.json<{ user: { id: string } }>();
  return { id: user.id, email, handle, password, jar };
}
