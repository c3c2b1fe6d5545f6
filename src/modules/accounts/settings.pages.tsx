import type { FastifyInstance } from 'fastify';
import type { AccountsRouteOptions } from './accounts.api.js';

export async function settingsPages(
  _app: FastifyInstance,
  _opts: AccountsRouteOptions,
): Promise<void> {}
