// The earnings module's public face: the creator's earnings and sales pages (with refunds), and
// the same numbers as JSON. It reads the ledger, payouts and orders; refunds go through the
// payments module's refund, which it is given.
import type { FastifyInstance } from 'fastify';
import type { Db } from '../../db/database.js';
import type { ApiOperation } from '../../platform/http/openapi.js';
import { earningsApi } from './earnings.api.js';
import { earningsOperations } from './earnings.openapi.js';
import { earningsPages } from './earnings.pages.js';
import type { RefundOrder } from './sales.service.js';

export interface EarningsModule {
  /** GET /me/earnings and /me/sales, to register under /api/v1 */
  api: (app: FastifyInstance) => Promise<void>;
  /** /dashboard/earnings, /dashboard/sales and the refund form */
  pages: (app: FastifyInstance) => Promise<void>;
  operations: ApiOperation[];
}

export function createEarningsModule(db: Db, options: { refund: RefundOrder }): EarningsModule {
  return {
    api: (app) => earningsApi(app, { db }),
    pages: (app) => earningsPages(app, { db, refund: options.refund }),
    operations: earningsOperations,
  };
}

export type { RefundOrder } from './sales.service.js';
