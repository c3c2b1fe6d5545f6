// /dashboard/sales/<order>/refund: how much to give back (in major units, everything left by
// default), and for a full refund a confirmation step before the money moves.
import { LinkButton, Notice } from '../../../platform/views/components.js';
import { formatDate } from '../../../platform/dates.js';
import type { SaleRow } from '../earnings.repository.js';
import { buyerLabel, remainingOf, saleTitle } from '../sales.service.js';
import { formatMoney, toMajorUnits } from '../../../platform/money/index.js';
import { SALE_STATUS } from './sales-page.js';
import { CsrfField, FormProblem, TextField } from '../../../platform/views/forms.js';
import { DashboardFrame } from '../../../platform/views/dashboard-frame.js';

function SaleSummary(props: { sale: SaleRow }): JSX.Element {
  const { sale } = props;
  return (
    <dl class="review">
      <div class="review__row">
        <dt>Order</dt>
        <dd safe>{saleTitle(sale)}</dd>
      </div>
      <div class="review__row">
        <dt>Buyer</dt>
        <dd safe>{buyerLabel(sale)}</dd>
      </div>
      <div class="review__row">
        <dt>Paid</dt>
        <dd
          safe
        >{`${formatMoney(sale.amount, sale.currency)} on ${formatDate(sale.created_at)}`}</dd>
      </div>
      <div class="review__row">
        <dt>Status</dt>
        <dd>
          {sale.refunded_amount > 0
            ? `${SALE_STATUS[sale.status]}: ${formatMoney(sale.refunded_amount, sale.currency)} refunded`
            : SALE_STATUS[sale.status]}
        </dd>
      </div>
    </dl>
  );
}

export interface RefundFormProps {
  sale: SaleRow;
  csrfToken: string;
  value?: string | undefined;
  error?: string | undefined;
  /** a refusal that is not about the amount (the order changed meanwhile) */
  refusal?: string | undefined;
}

export function RefundFormPage(props: RefundFormProps): JSX.Element {
  const { sale } = props;
  const action = `/dashboard/sales/${sale.id}/refund`;
  const left = formatMoney(remainingOf(sale), sale.currency);
  return (
    <DashboardFrame
      section="sales"
      within
      title="Refund a sale"
      back={{ href: '/dashboard/sales', label: 'Sales' }}
    >
      <section class="dashboard-card refund" aria-labelledby="refund-title">
        <h2 id="refund-title" class="visually-hidden">
          The sale
        </h2>
        <SaleSummary sale={sale} />
        {props.refusal ? <Notice tone="error" title={props.refusal} /> : ''}
        <form method="post" action={action} class="refund__form" novalidate>
          <CsrfField token={props.csrfToken} />
          <FormProblem
            errors={props.error ? { amount: props.error } : {}}
            labels={{ amount: 'Amount to refund' }}
            focus
          />
          <TextField
            label="Amount to refund"
            name="amount"
            value={props.value ?? toMajorUnits(remainingOf(sale), sale.currency)}
            inputmode="decimal"
            prefix={sale.currency}
            required
            error={props.error}
            hint={`Up to ${left}. Refunding everything ends the buyer’s access; the processor keeps its fee.`}
          />
          <div class="confirm-form">
            <button type="submit" class="button button--primary">
              Refund
            </button>
            <LinkButton href="/dashboard/sales" variant="secondary">
              Cancel
            </LinkButton>
          </div>
        </form>
      </section>
    </DashboardFrame>
  );
}

export function ConfirmFullRefundPage(props: { sale: SaleRow; csrfToken: string }): JSX.Element {
  const { sale } = props;
  const amount = formatMoney(remainingOf(sale), sale.currency);
  const action = `/dashboard/sales/${sale.id}/refund`;
  return (
    <DashboardFrame
      section="sales"
      within
      title={`Refund all ${amount}?`}
      back={{ href: action, label: 'Change the amount' }}
    >
      <section
        class="dashboard-card dashboard-card--danger refund-confirm"
        aria-labelledby="confirm-title"
      >
        <h2 id="confirm-title">This gives back everything that is left</h2>
        <SaleSummary sale={sale} />
        <p safe>
          {`${buyerLabel(sale)} gets ${amount} back and loses access to what they bought. ` +
            'A refund cannot be undone, and the processor keeps its fee.'}
        </p>
        <form method="post" action={action} class="confirm-form">
          <CsrfField token={props.csrfToken} />
          <input
            type="hidden"
            name="amount"
            value={toMajorUnits(remainingOf(sale), sale.currency)}
          />
          <input type="hidden" name="confirm" value="full" />
          <button type="submit" class="button button--danger">
            <span safe>{`Yes, refund ${amount}`}</span>
          </button>
          <LinkButton href="/dashboard/sales" variant="secondary">
            Keep the sale
          </LinkButton>
        </form>
      </section>
    </DashboardFrame>
  );
}
