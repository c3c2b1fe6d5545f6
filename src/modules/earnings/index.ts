// The earnings module's public face: the creator's earnings and sales pages (with refunds), and
// the same numbers as JSON. It reads the ledger, payouts and orders; refunds go through the
// payments module's refund, which it is given.
import type { Db } from '../../db/database.js';
import type { AppModule } from '../../platform/module.js';
import { earningsApi } from './earnings.api.js';
import { earningsOperations } from './earnings.openapi.js';
import { earningsPages } from './earnings.pages.js';
import type { RefundOrder } from './sales.service.js';

export function createEarningsModule(db: Db, options: { refund: RefundOrder }): AppModule {
  return {
    name: 'earnings',
    // GET /me/earnings and /me/sales
    api: (app) => earningsApi(app, { db }),
    // /dashboard/earnings, /dashboard/sales and the refund form
    routes: (app) => earningsPages(app, { db, refund: options.refund }),
    operations: earningsOperations,
  };
}

export type { RefundOrder } from './sales.service.js';
export { loadOverviewNumbers, type OverviewNumbers } from './overview.service.js';
