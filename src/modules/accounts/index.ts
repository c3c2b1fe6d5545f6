// The accounts module's public face.
import type { FastifyInstance } from 'fastify';
import type { Config } from '../../config.js';
import type { Db } from '../../db/database.js';
import type { CredentialResolver } from '../../platform/http/auth.js';
import type { ApiOperation } from '../../platform/http/openapi.js';
import { RateLimiter } from '../../platform/http/rate-limit.js';
import type { TaskDefinition } from '../../platform/jobs/task.js';
import type { CleanupStep } from '../../platform/maintenance/cleanup.jobs.js';
import type { AppModule } from '../../platform/module.js';
import { accountsApi } from './accounts.api.js';
import { accountsCleanupSteps } from './accounts.cleanup.js';
import { accountsOperations } from './accounts.openapi.js';
import { settingsOperations } from './settings.openapi.js';
import type { AccountsDeps } from './accounts.service.js';
import { createCredentialResolver } from './credential-resolver.js';
import { joinPages } from './join.pages.js';
import { loginPages } from './login.pages.js';
import { recoveryPages } from './recovery.pages.js';
import { recoveryTasks } from './recovery.service.js';
import { settingsApi } from './settings.api.js';
import { settingsPages } from './settings.pages.js';
import { twoFactorApi, twoFactorOperations } from './two-factor.api.js';
import { twoFactorPages } from './two-factor.pages.js';

export interface AccountsModule extends AppModule {
  /** who a request's session cookie or bearer token is, for the authentication hook */
  resolver: CredentialResolver;
  /** JSON API, to register under /api/v1 */
  api: (app: FastifyInstance) => Promise<void>;
  /** HTML pages: join, sign in, recovery, settings, two-factor */
  routes: (app: FastifyInstance) => Promise<void>;
  tasks: TaskDefinition[];
  cleanupSteps: CleanupStep[];
  /** OpenAPI descriptions of the module's /api/v1 routes */
  operations: ApiOperation[];
}

export function createAccountsModule(
  db: Db,
  config: Readonly<Config>,
  options: Pick<AccountsDeps, 'onEmailVerified'> = {},
): AccountsModule {
  const deps: AccountsDeps = { db, config, onEmailVerified: options.onEmailVerified };
  const limiter = new RateLimiter(db);
  return {
    name: 'accounts',
    resolver: createCredentialResolver(db, config),
    api: async (app) => {
      await accountsApi(app, { deps, limiter });
      await settingsApi(app, { deps, limiter });
      await twoFactorApi(app, { deps, limiter });
    },
    routes: async (app) => {
      for (const plugin of [joinPages, loginPages, recoveryPages, settingsPages, twoFactorPages]) {
        await plugin(app, { deps, limiter });
      }
    },
    tasks: recoveryTasks(deps),
    cleanupSteps: accountsCleanupSteps(db),
    operations: [...accountsOperations, ...settingsOperations, ...twoFactorOperations],
  };
}

export { publicUser } from './accounts.service.js';
export { accountsCommands } from './accounts.commands.js';

// What other modules use of this one (their only way in).
export { updateUser } from './users.repository.js';
