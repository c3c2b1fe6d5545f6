// The local processor's payout onboarding page, /pay/local/connect/<account id>: what Stripe's
// Connect onboarding is for a real account, reduced to one button. Like Stripe's link, the URL
// itself is the key (an unguessable account id); finishing marks the account ready and sends the
// creator back to the return URL, where the dashboard asks the processor and stores the answer.
import type { FastifyInstance } from 'fastify';
import type { Db } from '../../../db/database.js';
import { notFound } from '../../../platform/errors.js';
import { Button, Notice } from '../../../platform/views/components.js';
import { render } from '../../../platform/views/render.js';
import { getViewContext } from '../../../platform/views/view-context.js';
import {
  completeLocalConnectAccount,
  findLocalConnectAccount,
} from './local-connect.repository.js';

type Account = NonNullable<Awaited<ReturnType<typeof findLocalConnectAccount>>>;

function ConnectPage(props: { account: Account; csrfToken: string }) {
  const { account } = props;
  return (
    <section class="auth" aria-labelledby="connect-title">
      <div class="auth__card">
        <h1 class="auth__title" id="connect-title">
          <span class="auth__eyebrow">Local test processor</span> Finish setting up payouts
        </h1>
        {account.completed_at === null ? (
          <>
            <p class="auth__lead">
              No real bank account is needed here: finishing makes this payout account ready to
              receive your payouts.
            </p>
            <dl>
              <dt>Account</dt>
              <dd safe>{account.id}</dd>
              <dt>Email</dt>
              <dd safe>{account.email}</dd>
            </dl>
            <form method="post" action={`/pay/local/connect/${account.id}`} class="auth__form">
              <input type="hidden" name="_csrf" value={props.csrfToken} />
              <div class="auth__actions">
                <Button>Finish setup</Button>
              </div>
            </form>
          </>
        ) : (
          <Notice tone="success" title="This payout account is set up." />
        )}
        <p class="auth__small">
          <a href={account.return_url}>Back to Makenot.work</a>
        </p>
      </div>
    </section>
  );
}

const ACCOUNT_ID = /^[A-Za-z0-9_-]{1,200}$/;

export async function localConnectPages(app: FastifyInstance, { db }: { db: Db }) {
  async function load(id: string): Promise<Account> {
    const account = ACCOUNT_ID.test(id) ? await findLocalConnectAccount(db, id) : undefined;
    if (!account) throw notFound('payout account');
    return account;
  }

  app.get<{ Params: { id: string } }>('/pay/local/connect/:id', async (request, reply) => {
    const account = await load(request.params.id);
    const csrfToken = getViewContext(request).csrfToken;
    return render(reply, {
      title: 'Finish setting up payouts',
      body: <ConnectPage account={account} csrfToken={csrfToken} />,
    });
  });

  app.post<{ Params: { id: string } }>('/pay/local/connect/:id', async (request, reply) => {
    const account = await load(request.params.id);
    await completeLocalConnectAccount(db, account.id);
    return reply.redirect(account.return_url, 303);
  });
}
