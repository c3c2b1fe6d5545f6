// The promos module's public face: creators' promo codes (API and dashboard page) and
// redeemPromo, which checkouts (items here, membership tiers elsewhere) call in the transaction
// that inserts the order.
import type { Db } from '../../db/database.js';
import type { AppModule } from '../../platform/module.js';
import { promosApi } from './promos.api.js';
import { promosOperations } from './promos.openapi.js';
import { promosPages } from './promos.pages.js';

/** Promo codes: the creator's API and /dashboard/promo-codes (redeeming is for checkout, below). */
export function createPromosModule(db: Db): AppModule {
  return {
    name: 'promos',
    api: (app) => promosApi(app, { db }),
    routes: (app) => promosPages(app, { db }),
    operations: promosOperations,
  };
}

export {
  redeemPromo,
  redeemPromoCode,
  type PromoTarget,
  type Redemption,
} from './promos.redeem.js';
export type { PromoCodesTable, PromoRedemptionsTable } from './promos.tables.js';
