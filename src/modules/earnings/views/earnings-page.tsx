// /dashboard/earnings: per currency, the chosen period's money (gross, fees, refunds, disputes,
// net), the balances now, and two charts against the period before; then the payout history.
import { EmptyState, LinkButton } from '../../../platform/views/components.js';
import type { PayoutRow } from '../earnings.repository.js';
import {
  PERIOD_NAMES,
  PERIODS,
  type CurrencyEarnings,
  type EarningsJson,
  type PeriodName,
} from '../earnings.schemas.js';
import { changeLabel } from '../earnings.service.js';
import { formatMoney } from '../../../platform/money/index.js';
import { SalesChart } from './sales-chart.js';
import { PayoutHistory } from './payout-history.js';
import { DashboardFrame } from '../../../platform/views/dashboard-frame.js';

const currencyNames = new Intl.DisplayNames(['en'], { type: 'currency' });

function PeriodLinks(props: { current: PeriodName }): JSX.Element {
  return (
    <nav class="period-links" aria-label="Period">
      <ul>
        {PERIOD_NAMES.map((name) => (
          <li>
            <a
              href={`/dashboard/earnings?period=${name}`}
              aria-current={name === props.current ? 'page' : undefined}
            >
              {PERIODS[name].label}
            </a>
          </li>
        ))}
      </ul>
    </nav>
  );
}

function Figure(props: { label: string; value: string; hint?: string; tone?: 'total' }) {
  return (
    <div class={props.tone ? 'money-figure money-figure--total' : 'money-figure'}>
      <dt safe>{props.label}</dt>
      <dd>
        <span class="money-figure__value" safe>
          {props.value}
        </span>
        {props.hint ? (
          <span class="money-figure__hint" safe>
            {props.hint}
          </span>
        ) : (
          ''
        )}
      </dd>
    </div>
  );
}

/** What came off, shown with its minus sign (and no "-$0.00" when nothing did). */
const minus = (minor: number) => (minor === 0 ? 0 : -minor);

const plural = (n: number, one: string) => `${n} ${one}${n === 1 ? '' : 's'}`;

/** "+12% vs previous period", or the label as it is when there is nothing to compare. */
const versus = (label: string) => (/^[+−±]/.test(label) ? `${label} vs previous period` : label);

function CurrencySection(props: { money: CurrencyEarnings; period: PeriodName }) {
  const { money, period } = props;
  const { currency } = money;
  const fmt = (minor: number) => formatMoney(minor, currency);
  const spec = PERIODS[period];
  const id = `earnings-${currency.toLowerCase()}`;
  const sales = money.series.reduce((sum, b) => sum + b.sales, 0);
  const revenueChange = changeLabel(money.gross, money.previous.revenue);
  const salesChange = changeLabel(sales, money.previous.sales);
  const chart = {
    unit: spec.unit,
    starts: money.series.map((b) => b.start),
    currentLabel: spec.label,
    previousLabel: `The ${spec.previous.replace(/^the /, '')}`,
  };
  return (
    <section class="dashboard-card earnings" aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`} safe>
        {`${currencyNames.of(currency) ?? currency} (${currency})`}
      </h2>
      <h3 class="earnings__subhead">Balances now</h3>
      <dl class="money-grid">
        <Figure label="Pending" value={fmt(money.pending)} hint="on hold for 7 days" />
        <Figure label="Available" value={fmt(money.available)} hint="goes out with payouts" />
        <Figure label="In transit" value={fmt(money.in_transit)} hint="on its way to you" />
        <Figure label="Paid out" value={fmt(money.paid_out)} hint="all time" />
        {money.debt > 0 ? (
          <Figure label="Owed" value={fmt(money.debt)} hint="repaid from your next sales" />
        ) : (
          ''
        )}
      </dl>
      <h3 class="earnings__subhead">{spec.label}</h3>
      <dl class="money-grid">
        <Figure label="Gross sales" value={fmt(money.gross)} hint={plural(sales, 'sale')} />
        <Figure label="Processor fees" value={fmt(minus(money.fees))} />
        <Figure label="Refunds" value={fmt(minus(money.refunds))} />
        <Figure label="Disputes" value={fmt(minus(money.disputes))} />
        <Figure label="Net" value={fmt(money.net)} tone="total" hint="yours: we take no cut" />
      </dl>
      <div class="chart-pair">
        <SalesChart
          {...chart}
          id={`${id}-revenue`}
          title={`Revenue in ${currency}, ${spec.label.toLowerCase()}`}
          summary={
            `${fmt(money.gross)} from ${plural(sales, 'sale')}; ` +
            `${fmt(money.previous.revenue)} in ${spec.previous}: ${revenueChange}.`
          }
          current={money.series.map((b) => b.revenue)}
          previous={money.previous.series.map((b) => b.revenue)}
          format={fmt}
        />
        <SalesChart
          {...chart}
          id={`${id}-sales`}
          title={`Sales in ${currency}, ${spec.label.toLowerCase()}`}
          summary={
            `${plural(sales, 'sale')}; ${plural(money.previous.sales, 'sale')} ` +
            `in ${spec.previous}: ${salesChange}.`
          }
          current={money.series.map((b) => b.sales)}
          previous={money.previous.series.map((b) => b.sales)}
          format={(n) => String(n)}
          integer
        />
      </div>
      <p class="earnings__change">
        Revenue: <strong safe>{versus(revenueChange)}</strong>. Sales:{' '}
        <strong safe>{versus(salesChange)}</strong>.
      </p>
    </section>
  );
}

export interface EarningsPageProps {
  earnings: EarningsJson;
  payouts: PayoutRow[];
}

export function EarningsPage(props: EarningsPageProps): JSX.Element {
  const { earnings } = props;
  return (
    <DashboardFrame
      section="earnings"
      title="Earnings"
      lead="What fans paid, what came off, and what is on its way to you. Days are UTC."
      back={{ href: '/dashboard', label: 'Dashboard' }}
      actions={
        <>
          <LinkButton href="/dashboard/sales">Sales and refunds</LinkButton>
          <LinkButton href="/dashboard/payouts/account" variant="secondary">
            Payout account
          </LinkButton>
        </>
      }
    >
      <PeriodLinks current={earnings.period} />
      {earnings.currencies.length === 0 ? (
        <EmptyState title="No sales yet" level={2}>
          <p>When fans buy your work, tip or join, their payments show up here.</p>
        </EmptyState>
      ) : (
        earnings.currencies.map((money) => (
          <CurrencySection money={money} period={earnings.period} />
        ))
      )}
      <PayoutHistory payouts={props.payouts} />
    </DashboardFrame>
  );
}
