// The payout history on the earnings page: each payout's date, amount, status, why it failed
// and when it settled; a link to where payouts go.
import { LinkButton } from '../../../platform/views/components.js';
import { formatDate } from '../../../platform/dates.js';
import type { PayoutRow } from '../earnings.repository.js';
import { formatMoney } from '../../../platform/money/index.js';

const STATUS = { queued: 'Sending', paid: 'Paid', failed: 'Failed' } as const;

export function PayoutHistory(props: { payouts: PayoutRow[] }): JSX.Element {
  return (
    <section class="dashboard-card" aria-labelledby="payouts-title">
      <h2 id="payouts-title">Payouts</h2>
      {props.payouts.length === 0 ? (
        <p>
          No payouts yet. Once your available balance reaches the minimum and a payout account is
          connected, it is sent to you automatically.
        </p>
      ) : (
        <div class="table-scroll" role="region" aria-labelledby="payouts-title" tabindex="0">
          <table class="data-table">
            <thead>
              <tr>
                <th scope="col">Date</th>
                <th scope="col">Amount</th>
                <th scope="col">Status</th>
                <th scope="col">Why it failed</th>
                <th scope="col">Settled</th>
              </tr>
            </thead>
            <tbody>
              {props.payouts.map((payout) => (
                <tr>
                  <td data-label="Date">
                    <time datetime={payout.created_at.toISOString()} safe>
                      {formatDate(payout.created_at)}
                    </time>
                  </td>
                  <td data-label="Amount" class="data-table__amount" safe>
                    {formatMoney(payout.amount, payout.currency)}
                  </td>
                  <td data-label="Status">
                    <span class={`badge payout-status payout-status--${payout.status}`}>
                      {STATUS[payout.status]}
                    </span>
                  </td>
                  <td data-label="Why it failed" safe>
                    {payout.failure_reason ?? '—'}
                  </td>
                  <td data-label="Settled">
                    {payout.settled_at ? (
                      <time datetime={payout.settled_at.toISOString()} safe>
                        {formatDate(payout.settled_at)}
                      </time>
                    ) : (
                      '—'
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <div class="dashboard__actions">
        <LinkButton href="/dashboard/payouts/account" variant="secondary">
          Where payouts go
        </LinkButton>
      </div>
    </section>
  );
}
