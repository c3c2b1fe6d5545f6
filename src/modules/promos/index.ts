// The promos module's public face: creators' promo codes (API and dashboard page) and
// redeemPromo, which checkouts (items here, membership tiers elsewhere) call in the transaction
// that inserts the order.
import type { FastifyInstance } from 'fastify';
import type { Db } from '../../db/database.js';
import { promosApi } from './promos.api.js';
import { promosPages } from './promos.pages.js';

export { promosOperations } from './promos.openapi.js';
export {
  redeemPromo,
  redeemPromoCode,
  type PromoTarget,
  type Redemption,
} from './promos.redeem.js';
export type { PromoCodesTable, PromoRedemptionsTable } from './promos.tables.js';

/** JSON API, to register under /api/v1 */
export const promoCodesApi = (app: FastifyInstance, options: { db: Db }) => promosApi(app, options);
/** /dashboard/promo-codes */
export const promoCodesPages = (app: FastifyInstance, options: { db: Db }) =>
  promosPages(app, options);
