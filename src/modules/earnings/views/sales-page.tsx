// /dashboard/sales: the creator's paid orders, newest first, a page at a time; each one that can
// still be refunded links to its refund form.
import { EmptyState, LinkButton } from '../../../platform/views/components.js';
import { formatDate } from '../../../platform/dates.js';
import type { SaleRow } from '../earnings.repository.js';
import { buyerLabel, isRefundable, saleTitle } from '../sales.service.js';
import { formatMoney } from '../../../platform/money/index.js';
import { DashboardFrame } from '../../../platform/views/dashboard-frame.js';

export const SALE_STATUS = {
  pending: 'Pending',
  paid: 'Paid',
  failed: 'Failed',
  refunded: 'Refunded',
  partially_refunded: 'Partly refunded',
  disputed: 'Disputed',
} as const;

function SaleItem(props: { sale: SaleRow }): JSX.Element {
  const { sale } = props;
  const title = saleTitle(sale);
  return (
    <li class="sale-row" id={`sale-${sale.id}`}>
      <div class="sale-row__main">
        <p class="sale-row__title" safe>
          {title}
        </p>
        <p class="sale-row__meta">
          <span safe>{buyerLabel(sale)}</span>
          {' · '}
          <time datetime={sale.created_at.toISOString()} safe>
            {formatDate(sale.created_at)}
          </time>
        </p>
        {sale.message ? (
          <blockquote class="sale-row__message">
            <p safe>{sale.message}</p>
          </blockquote>
        ) : (
          ''
        )}
      </div>
      <div class="sale-row__money">
        <p class="sale-row__amount" safe>
          {formatMoney(sale.amount, sale.currency)}
        </p>
        <p class="sale-row__status">
          <span class={`badge sale-status sale-status--${sale.status}`}>
            {SALE_STATUS[sale.status]}
          </span>
          {sale.refunded_amount > 0 ? (
            <span class="sale-row__refunded" safe>
              {`${formatMoney(sale.refunded_amount, sale.currency)} refunded`}
            </span>
          ) : (
            ''
          )}
        </p>
      </div>
      {isRefundable(sale) ? (
        <div class="sale-row__actions">
          <a
            class="button button--secondary button--small"
            href={`/dashboard/sales/${sale.id}/refund`}
          >
            Refund
            <span
              class="visually-hidden"
              safe
            >{` ‘${title}’ from ${formatDate(sale.created_at)}`}</span>
          </a>
        </div>
      ) : (
        ''
      )}
    </li>
  );
}

export interface SalesPageProps {
  sales: SaleRow[];
  nextCursor: string | null;
  /** a later page: offer the way back to the newest */
  paged: boolean;
  flash?: string | undefined;
}

export function SalesPage(props: SalesPageProps): JSX.Element {
  return (
    <DashboardFrame
      section="sales"
      title="Sales"
      lead="Every paid order, newest first. Refund a buyer in full or in part from here."
      back={{ href: '/dashboard/earnings', label: 'Earnings' }}
      flash={props.flash}
    >
      {props.sales.length === 0 ? (
        <EmptyState title={props.paged ? 'No more sales' : 'No sales yet'} level={2}>
          <p>When fans buy your work, tip or join, their orders show up here.</p>
        </EmptyState>
      ) : (
        <section aria-labelledby="sales-title">
          <h2 id="sales-title" class="visually-hidden">
            Orders
          </h2>
          <ol class="sale-list">
            {props.sales.map((sale) => (
              <SaleItem sale={sale} />
            ))}
          </ol>
        </section>
      )}
      <nav class="dashboard__actions" aria-label="More sales">
        {props.paged ? (
          <LinkButton href="/dashboard/sales" variant="secondary">
            Newest sales
          </LinkButton>
        ) : (
          ''
        )}
        {props.nextCursor ? (
          <LinkButton
            href={`/dashboard/sales?cursor=${encodeURIComponent(props.nextCursor)}`}
            variant="secondary"
          >
            Older sales
          </LinkButton>
        ) : (
          ''
        )}
      </nav>
    </DashboardFrame>
  );
}
