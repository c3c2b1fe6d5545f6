// Payout-account onboarding: a creator gets a payout account at the processor (Stripe Connect
// Express, or the local processor's own) and a link to finish setting it up there; coming back,
// we ask the processor whether the account may receive transfers and store the answer, which the
// weekly payout run reads. The processor is called outside any transaction.
import type { Config } from '../../config.js';
import type { Db } from '../../db/database.js';
import { AppError } from '../../platform/errors.js';
import type { PaymentProcessor } from '../payments/index.js';
import {
  findPayoutAccount,
  setPayoutAccountReady,
  upsertPayoutAccount,
} from './payouts.repository.js';

// (the dashboard page reads it from here beside the account)
export { findCreatorCurrency } from './payouts.repository.js';

export interface PayoutAccountDeps {
  db: Db;
  config: Pick<Config, 'publicUrl'>;
  processor: PaymentProcessor | undefined;
}

export interface PayoutAccountJson {
  destination: string;
  ready: boolean;
}

/** Where the processor sends the creator back: finished, or with a stale link. */
export const RETURN_PATH = '/dashboard/payouts/account/return';
export const REFRESH_PATH = '/dashboard/payouts/account?link=expired';

export function processorOf(deps: PayoutAccountDeps): PaymentProcessor {
  if (!deps.processor) {
    throw new AppError('PAYMENTS_UNAVAILABLE', 503, 'Payouts are not available on this server.', {
      retryAfter: 3600,
    });
  }
  return deps.processor;
}

/** The processor failed us (network, its 5xx): the caller may try again shortly. */
async function asking<T>(call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (cause) {
    throw new AppError('PAYMENTS_UNAVAILABLE', 503, 'The payment provider cannot be reached.', {
      retryAfter: 60,
      cause,
    });
  }
}

export function requireCreatorUser(user: { isCreator: boolean }): void {
  if (!user.isCreator) {
    throw new AppError('NOT_A_CREATOR', 403, 'Turn on creating first, at /join/create.');
  }
}

/** The creator's payout account with the processor in use, or null. */
export async function getPayoutAccount(
  deps: PayoutAccountDeps,
  creatorId: string,
): Promise<PayoutAccountJson | null> {
  const account = await findPayoutAccount(deps.db, creatorId);
  if (!account || account.processor !== deps.processor?.name) return null;
  return { destination: account.destination, ready: account.ready };
}

/** Makes (or re-links) the creator's account and answers the processor's onboarding URL. */
export async function startOnboarding(
  deps: PayoutAccountDeps,
  creator: { id: string; email: string },
): Promise<string> {
  const processor = processorOf(deps);
  const current = await getPayoutAccount(deps, creator.id);
  const { accountId, onboardingUrl } = await asking(() =>
    processor.connectPayoutAccount({
      creatorId: creator.id,
      email: creator.email,
      existing: current?.destination,
      returnUrl: new URL(RETURN_PATH, deps.config.publicUrl).href,
      refreshUrl: new URL(REFRESH_PATH, deps.config.publicUrl).href,
    }),
  );
  // The same account keeps what we knew of it; a new one is not ready until the processor says.
  const ready = current?.destination === accountId && current.ready;
  await upsertPayoutAccount(deps.db, {
    creator_id: creator.id,
    processor: processor.name,
    destination: accountId,
    ready,
  });
  return onboardingUrl;
}

/** Asks the processor whether the account may receive transfers now, and stores the answer. */
export async function checkReadiness(
  deps: PayoutAccountDeps,
  creatorId: string,
): Promise<PayoutAccountJson | null> {
  const processor = processorOf(deps);
  const account = await getPayoutAccount(deps, creatorId);
  if (!account) return null;
  const ready = await asking(() => processor.payoutAccountReady(account.destination));
  await setPayoutAccountReady(deps.db, creatorId, account.destination, ready);
  return { ...account, ready };
}

/**
 * PUT /me/payout-account: an account named directly, taken as ready (onboarding is the way that
 * asks the processor first). The local processor pays into an account of its own per creator;
 * Stripe's comes from Connect onboarding and must be given.
 */
export async function namePayoutAccount(
  db: Db,
  processor: PaymentProcessor | undefined,
  creatorId: string,
  named: string | undefined,
): Promise<{ processor: PaymentProcessor['name']; destination: string }> {
  if (!processor) {
    throw new AppError(
      'PAYMENTS_UNAVAILABLE',
      503,
      'Payouts are not available on this server yet.',
      {
        retryAfter: 3600,
      },
    );
  }
  const destination =
    named ?? (processor.name === 'local' ? `local_acct_${creatorId.replace(/-/g, '')}` : undefined);
  if (destination === undefined) {
    throw new AppError('VALIDATION_FAILED', 422, 'Some fields are not valid.', {
      fields: { destination: 'Connect your payout account first.' },
    });
  }
  await upsertPayoutAccount(db, {
    creator_id: creatorId,
    processor: processor.name,
    destination,
    ready: true,
  });
  return { processor: processor.name, destination };
}
