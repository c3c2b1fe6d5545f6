// The top of /dashboard: the numbers a creator checks first (sales today and this month, the
// balance on hold and payable), the latest sales and tips with the fans' words, and the setup
// checklist, which goes away once every step that can be done is done. Text props are escaped
// here (`safe`).
import { formatDate, isoDate } from '../../../../platform/dates.js';
import { formatMoney } from '../../../../platform/money/index.js';
import type { CreatorNumbers, CurrencyNumbers, RecentSale } from '../overview-facts.js';

export interface ChecklistStep {
  key: string;
  label: string;
  hint: string;
  done: boolean;
  /** where to do it; none for a step that cannot be done yet */
  href?: string | undefined;
}

export interface OverviewPanelsProps {
  /** the creator's public page */
  publicPath: string;
  /** the creator's own currency: zeros are shown in it before the first sale */
  currency: string;
  /** undefined when no module supplies them: the numbers are left out, not shown as zeros */
  numbers?: CreatorNumbers | undefined;
  checklist: ChecklistStep[];
}

const plural = (count: number, one: string, many: string) => `${count} ${count === 1 ? one : many}`;

function StatCard(props: { id: string; label: string; value: string; details: string[] }) {
  return (
    <li class="stat-card" id={props.id}>
      <p class="stat-card__label" safe>
        {props.label}
      </p>
      <p class="stat-card__value" safe>
        {props.value}
      </p>
      {props.details.map((detail) => (
        <p class="stat-card__detail" safe>
          {detail}
        </p>
      ))}
    </li>
  );
}

function Numbers(props: { rows: CurrencyNumbers[] }) {
  const { rows } = props;
  const today = rows.reduce((sum, row) => sum + row.todaySales, 0);
  const month = rows.reduce((sum, row) => sum + row.monthSales, 0);
  const money = (pick: (row: CurrencyNumbers) => number) =>
    rows.map((row) => formatMoney(pick(row), row.currency));
  const [pending = '', ...otherPending] = money((row) => row.pending);
  return (
    <section class="overview-numbers" aria-labelledby="numbers-title">
      <h2 class="visually-hidden" id="numbers-title">
        Your numbers
      </h2>
      <ul class="stat-cards" role="list">
        <StatCard
          id="stat-today"
          label="Sales today"
          value={String(today)}
          details={money((row) => row.todayRevenue)}
        />
        <StatCard
          id="stat-month"
          label="Sales this month"
          value={String(month)}
          details={money((row) => row.monthRevenue)}
        />
        <StatCard
          id="stat-pending"
          label="Pending balance"
          value={pending}
          details={[
            ...otherPending,
            ...money((row) => row.available).map((amount) => `${amount} ready to pay out`),
          ]}
        />
      </ul>
      <p class="overview-numbers__more">
        <a href="/dashboard/earnings">Balances, charts and payout history</a>
        <span class="overview-numbers__note">
          {' · Tips and memberships count as sales; days and months are UTC'}
        </span>
      </p>
    </section>
  );
}

const KIND_LABEL = { item: 'Sale', tip: 'Tip', membership: 'Membership' } as const;

function SaleLine(props: { sale: RecentSale }) {
  const { sale } = props;
  return (
    <li class={`recent-sale recent-sale--${sale.kind}`}>
      <p class="recent-sale__line">
        <span class="badge recent-sale__kind">{KIND_LABEL[sale.kind]}</span>
        <span class="recent-sale__title" safe>
          {sale.kind === 'item' ? sale.title : `from ${sale.buyer}`}
        </span>
        <strong class="recent-sale__amount" safe>
          {formatMoney(sale.amount, sale.currency)}
        </strong>
      </p>
      <p class="recent-sale__meta">
        {sale.kind === 'item' ? <span safe>{`${sale.buyer} · `}</span> : ''}
        <time datetime={isoDate(sale.createdAt)} safe>
          {formatDate(sale.createdAt)}
        </time>
      </p>
      {sale.message ? (
        <blockquote class="recent-sale__message">
          <p safe>{sale.message}</p>
        </blockquote>
      ) : (
        ''
      )}
    </li>
  );
}

function LatestSales(props: { sales: RecentSale[] }) {
  return (
    <section class="dashboard-card overview-latest" aria-labelledby="latest-title">
      <h2 id="latest-title">Latest sales and tips</h2>
      {props.sales.length === 0 ? (
        <p class="overview-latest__empty">
          Nothing yet. When someone buys, tips or joins, it shows here.
        </p>
      ) : (
        <ol class="recent-sales" role="list">
          {props.sales.map((sale) => (
            <SaleLine sale={sale} />
          ))}
        </ol>
      )}
      <p class="overview-latest__more">
        <a href="/dashboard/sales">All sales</a>
      </p>
    </section>
  );
}

function Checklist(props: { steps: ChecklistStep[] }) {
  const doable = props.steps.filter((step) => step.href !== undefined || step.done);
  const done = doable.filter((step) => step.done).length;
  return (
    <section class="dashboard-card checklist" aria-labelledby="checklist-title">
      <h2 id="checklist-title">Get set up</h2>
      <p class="checklist__progress" safe>
        {`${done} of ${plural(doable.length, 'step', 'steps')} done`}
      </p>
      <ol class="checklist__steps" role="list">
        {props.steps.map((step) => (
          <li
            class={`checklist__step checklist__step--${step.done ? 'done' : step.href ? 'todo' : 'later'}`}
          >
            <span class="checklist__mark" aria-hidden="true">
              {step.done ? '✓' : ''}
            </span>
            <div>
              <p class="checklist__label">
                {step.href && !step.done ? (
                  <a href={step.href} safe>
                    {step.label}
                  </a>
                ) : (
                  <span safe>{step.label}</span>
                )}
                {step.done ? <span class="visually-hidden"> (done)</span> : ''}
              </p>
              <p class="checklist__hint" safe>
                {step.hint}
              </p>
            </div>
          </li>
        ))}
      </ol>
    </section>
  );
}

/** Every step that can be done is done (a step not available yet does not hold it open). */
export function checklistComplete(steps: readonly ChecklistStep[]): boolean {
  return steps.every((step) => step.done || step.href === undefined);
}

export function OverviewPanels(props: OverviewPanelsProps): JSX.Element {
  const { numbers } = props;
  const rows =
    numbers && numbers.currencies.length > 0
      ? numbers.currencies
      : [
          {
            currency: props.currency,
            todaySales: 0,
            todayRevenue: 0,
            monthSales: 0,
            monthRevenue: 0,
            pending: 0,
            available: 0,
          },
        ];
  const showChecklist = !checklistComplete(props.checklist);
  return (
    <div class="overview-panels">
      {numbers ? <Numbers rows={rows} /> : ''}
      {showChecklist || numbers ? (
        <div class="overview-panels__row">
          {showChecklist ? <Checklist steps={props.checklist} /> : ''}
          {numbers ? <LatestSales sales={numbers.latest} /> : ''}
        </div>
      ) : (
        ''
      )}
    </div>
  );
}
