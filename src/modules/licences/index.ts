// The licences module's public face: the paid-order hook that issues keys for software, the
// public key API and the buyer's and creator's key routes, and the buyer's /library/keys page.
import type { FastifyInstance } from 'fastify';
import type { Config } from '../../config.js';
import type { Db } from '../../db/database.js';
import type { ApiOperation } from '../../platform/http/openapi.js';
import type { AppModule } from '../../platform/module.js';
import type { OrderPaidHook, PurchaseFacts } from '../payments/index.js';
import { createKeySealer } from './licence-key.js';
import { licencesApi } from './licences.api.js';
import { licencesOperations } from './licences.openapi.js';
import {
  issueLicenceKeyHook,
  licencePurchaseFacts,
  type LicencesDeps,
} from './licences.service.js';
import { libraryKeysPages } from './library-keys.pages.js';
import { licenceSettingsPages } from './licence-settings.pages.js';

export interface LicencesModule extends AppModule {
  /** for PaymentsOptions.onOrderPaid, wherever the payments module is built */
  onOrderPaid: OrderPaidHook;
  /** for PaymentsOptions.purchaseFacts: the key on the receipt and the thank-you page */
  purchaseFacts: PurchaseFacts;
  /** JSON API, to register under /api/v1 */
  api: (app: FastifyInstance) => Promise<void>;
  /** the buyer's /library/keys and the creator's /dashboard/items/<id>/licence */
  routes: (app: FastifyInstance) => Promise<void>;
  operations: ApiOperation[];
}

export function createLicencesModule(db: Db, config: Readonly<Config>): LicencesModule {
  const deps: LicencesDeps = { db, sealer: createKeySealer(config.appSecret) };
  return {
    name: 'licences',
    onOrderPaid: issueLicenceKeyHook(deps.sealer),
    purchaseFacts: licencePurchaseFacts(deps.sealer),
    api: (app) => licencesApi(app, { deps }),
    routes: async (app) => {
      await libraryKeysPages(app, { deps });
      await licenceSettingsPages(app, { db });
    },
    operations: licencesOperations,
  };
}
