import type { FastifyInstance } from 'fastify';
import type { AccountsRouteOptions } from './accounts.api.js';

export async function loginPages(
  _app: FastifyInstance,
  _opts: AccountsRouteOptions,
): Promise<void> {}
