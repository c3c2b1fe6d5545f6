// /dashboard/payouts/account: where a creator's payouts go and whether that account is ready, a
// button that starts (or continues) onboarding at the processor, and the return route the
// processor sends them back to, which asks the processor and stores its answer.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { AppError } from '../../platform/errors.js';
import { principalOf, requireUser } from '../../platform/http/auth.js';
import { formatMoney } from '../../platform/money/index.js';
import { Button, Notice } from '../../platform/views/components.js';
import { render } from '../../platform/views/render.js';
import {
  checkReadiness,
  findCreatorCurrency,
  getPayoutAccount,
  startOnboarding,
  type PayoutAccountDeps,
  type PayoutAccountJson,
} from './payout-account.service.js';
import { DEFAULT_MINIMUM } from './payouts.service.js';
import { CsrfField } from '../../platform/views/forms.js';
import { DashboardFrame } from '../../platform/views/dashboard-frame.js';
import { csrfOf } from '../../platform/views/view-context.js';
import { requireCreator } from '../../platform/http/require-creator.js';

export const ACCOUNT_PAGE = '/dashboard/payouts/account';

/** Messages chosen by a fixed key: nothing from the URL is shown. */
const MESSAGES = {
  ready: { tone: 'success', text: 'Your payout account is ready: payouts go to it from now on.' },
  pending: {
    tone: 'warning',
    text: 'Setup is not finished yet. Continue where you left off when you are ready.',
  },
  expired: { tone: 'warning', text: 'That setup link expired. Continue setup for a fresh one.' },
} as const;
type MessageKey = keyof typeof MESSAGES;

const querySchema = z
  .object({
    done: z.enum(['ready', 'pending']).optional(),
    link: z.enum(['expired']).optional(),
  })
  .catch({});

interface PageProps {
  csrfToken: string;
  /** the creator's currency, in which the payout minimum is stated */
  currency: string;
  account: PayoutAccountJson | null;
  available: boolean;
  message?: MessageKey | undefined;
  error?: string | undefined;
}

function Status(props: { account: PayoutAccountJson | null }) {
  const { account } = props;
  if (!account) {
    return <p>You have no payout account yet. Connect one to receive the money your work earns.</p>;
  }
  return (
    <dl>
      <dt>Account</dt>
      <dd safe>{account.destination}</dd>
      <dt>Status</dt>
      <dd>{account.ready ? 'Ready: payouts go here' : 'Setup not finished: no payouts yet'}</dd>
    </dl>
  );
}

function AccountPage(props: PageProps) {
  const message = props.message ? MESSAGES[props.message] : undefined;
  const label = props.account ? 'Continue setup' : 'Connect payout account';
  return (
    <DashboardFrame
      section="payouts"
      title="Payout account"
      lead={`Where your earnings are sent each Monday, once your available balance reaches ${formatMoney(DEFAULT_MINIMUM, props.currency)}.`}
      back={{ href: '/dashboard', label: 'Dashboard' }}
    >
      {message ? <Notice tone={message.tone} title={message.text} /> : ''}
      {props.error ? <Notice tone="error" title={props.error} /> : ''}
      <section class="dashboard-card" aria-labelledby="account-status-title">
        <h2 id="account-status-title">Status</h2>
        <Status account={props.account} />
        {!props.available ? (
          <Notice tone="info" title="Payouts are not available on this server." />
        ) : props.account?.ready ? (
          ''
        ) : (
          <form method="post" action={`${ACCOUNT_PAGE}/onboarding`} class="inline-form">
            <CsrfField token={props.csrfToken} />
            <Button>{label}</Button>
          </form>
        )}
      </section>
    </DashboardFrame>
  );
}

export async function payoutAccountPages(
  app: FastifyInstance,
  { deps }: { deps: PayoutAccountDeps },
) {
  async function page(
    request: FastifyRequest,
    reply: FastifyReply,
    extra: { message?: MessageKey; error?: string; status?: number } = {},
  ) {
    const creatorId = principalOf(request).user.id;
    const [account, currency] = await Promise.all([
      getPayoutAccount(deps, creatorId),
      findCreatorCurrency(deps.db, creatorId),
    ]);
    return render(reply, {
      title: 'Payout account',
      status: extra.status,
      body: (
        <AccountPage
          csrfToken={csrfOf(request)}
          currency={currency}
          account={account}
          available={deps.processor !== undefined}
          message={extra.message}
          error={extra.error}
        />
      ),
    });
  }

  await app.register(async (creators) => {
    creators.addHook('preHandler', requireUser);
    creators.addHook('preHandler', requireCreator);

    creators.get(ACCOUNT_PAGE, async (request, reply) => {
      const query = querySchema.parse(request.query);
      const message = query.done ?? (query.link === 'expired' ? 'expired' : undefined);
      return page(request, reply, message ? { message } : {});
    });

    creators.post(`${ACCOUNT_PAGE}/onboarding`, async (request, reply) => {
      const { user } = principalOf(request);
      let url: string;
      try {
        url = await startOnboarding(deps, user);
      } catch (error) {
        if (!(error instanceof AppError) || error.status !== 503) throw error;
        const text = 'The payment provider cannot be reached right now. Try again in a minute.';
        return page(request, reply, { error: text, status: 503 });
      }
      return reply.redirect(url, 303);
    });

    // The processor sends the creator here when they leave its onboarding, finished or not.
    creators.get(`${ACCOUNT_PAGE}/return`, async (request, reply) => {
      let ready: boolean;
      try {
        ready = (await checkReadiness(deps, principalOf(request).user.id))?.ready ?? false;
      } catch (error) {
        if (!(error instanceof AppError) || error.status !== 503) throw error;
        const text = 'We could not ask the payment provider about your account. Reload to retry.';
        return page(request, reply, { error: text, status: 503 });
      }
      return reply.redirect(`${ACCOUNT_PAGE}?done=${ready ? 'ready' : 'pending'}`, 303);
    });
  });
}
