// The promo codes page: the creator's codes with their uses and state, and the form for a new
// one. Every value a creator typed is escaped (`safe`).
import type { FieldErrors } from '../../../platform/errors.js';
import { Button, EmptyState } from '../../../platform/views/components.js';
import { amountExample, formatPrice } from '../../../platform/money/index.js';
import { formatDate } from '../../../platform/dates.js';
import type { PromoCodeJson } from '../promos.schemas.js';
import {
  ChoiceGroup,
  CsrfField,
  fieldId,
  FormProblem,
  SelectField,
  TextField,
} from '../../../platform/views/forms.js';
import { DashboardFrame } from '../../../platform/views/dashboard-frame.js';

export interface PromoFormValues {
  code: string;
  kind: string;
  value: string;
  target: string;
  starts_on: string;
  ends_on: string;
  limit: string;
}

interface Targets {
  projects: readonly { id: string; title: string }[];
  items: readonly { id: string; title: string }[];
}

const LABELS: Readonly<Record<string, string>> = {
  code: 'Code',
  kind: 'What it gives',
  value: 'Percent or amount off',
  target: 'Applies to',
  starts_on: 'Starts on',
  ends_on: 'Ends on',
  limit: 'Usage limit',
};

const STATE_LABEL: Record<PromoCodeJson['state'], string> = {
  active: 'Active',
  scheduled: 'Not started',
  expired: 'Expired',
  used_up: 'Used up',
  inactive: 'Turned off',
};

function gives(promo: PromoCodeJson): string {
  switch (promo.kind) {
    case 'percent':
      return `${String(promo.percent_off)}% off`;
    case 'fixed':
      return promo.amount_off !== null && promo.currency !== null
        ? `${formatPrice(promo.amount_off, promo.currency)} off`
        : 'Amount off';
    case 'free':
      return 'Free access';
    case 'trial':
      return `${String(promo.trial_days)}-day trial`;
  }
}

function scopeOf(promo: PromoCodeJson, targets: Targets): string {
  const title = (list: Targets['items'], id: string | null) =>
    list.find((entry) => entry.id === id)?.title ?? 'deleted';
  switch (promo.scope) {
    case 'all':
      return 'All items';
    case 'project':
      return `Project: ${title(targets.projects, promo.project_id)}`;
    case 'item':
      return `Item: ${title(targets.items, promo.item_id)}`;
    case 'tier':
      return 'A membership tier';
  }
}

function PromoRow(props: { promo: PromoCodeJson; targets: Targets; csrfToken: string }) {
  const { promo } = props;
  const uses =
    promo.max_redemptions === null
      ? `${String(promo.uses)} used, no limit`
      : `${String(promo.uses)} / ${String(promo.max_redemptions)} used`;
  const dates = [
    promo.starts_at ? `from ${formatDate(promo.starts_at)}` : '',
    promo.ends_at ? `until ${formatDate(promo.ends_at)}` : '',
  ]
    .filter(Boolean)
    .join(' ');
  return (
    <li class="promo-row">
      <p class="promo-row__code" safe>
        {promo.code}
      </p>
      <p class="promo-row__facts">
        <span safe>{gives(promo)}</span> · <span safe>{scopeOf(promo, props.targets)}</span> ·{' '}
        <span safe>{uses}</span>
        {dates ? <span safe>{` · ${dates}`}</span> : ''} ·{' '}
        <span class={`badge promo-state promo-state--${promo.state}`} safe>
          {STATE_LABEL[promo.state]}
        </span>
      </p>
      {promo.active ? (
        <form method="post" action={`/dashboard/promo-codes/${promo.id}/deactivate`}>
          <CsrfField token={props.csrfToken} />
          <Button variant="secondary" small>
            <span>Turn off</span>{' '}
            <span class="visually-hidden" safe>
              {promo.code}
            </span>
          </Button>
        </form>
      ) : (
        ''
      )}
    </li>
  );
}

function NewCodeForm(props: {
  csrfToken: string;
  currency: string;
  targets: Targets;
  values: PromoFormValues | undefined;
  errors: FieldErrors;
}) {
  const values = props.values;
  const kind = values?.kind ?? 'percent';
  const target = values?.target ?? 'all';
  const errors = props.errors;
  const kinds = [
    ['percent', 'Percent off'],
    ['fixed', 'Amount off'],
    ['free', 'Free access'],
  ] as const;
  return (
    <form method="post" action="/dashboard/promo-codes" class="stack" novalidate>
      <CsrfField token={props.csrfToken} />
      <FormProblem errors={errors} labels={LABELS} focus />
      <TextField
        label="Code"
        name="code"
        value={values?.code}
        hint="3 to 40 letters, digits, “-” or “_”. Fans may type it in any case."
        error={errors.code}
        maxlength={40}
        verbatim
        required
      />
      <ChoiceGroup legend="What it gives" name="kind" id={fieldId('kind')} error={errors.kind}>
        {kinds.map(([value, label]) => (
          <label class="choice">
            <input type="radio" name="kind" value={value} checked={kind === value} />
            <span>{label}</span>
          </label>
        ))}
      </ChoiceGroup>
      <TextField
        label="Percent or amount off"
        name="value"
        value={values?.value}
        hint={`For percent off: 1 to 100. For amount off in ${props.currency}: like ${amountExample(props.currency)}. Empty for free access.`}
        error={errors.value}
        inputmode="decimal"
        required={false}
      />
      <SelectField
        label="Applies to"
        name="target"
        value={target}
        error={errors.target}
        options={[
          { value: 'all', label: 'All my items' },
          ...props.targets.projects.map((project) => ({
            value: `project:${project.id}`,
            label: `Project: ${project.title}`,
          })),
          ...props.targets.items.map((item) => ({
            value: `item:${item.id}`,
            label: `Item: ${item.title}`,
          })),
        ]}
      />
      <TextField
        label="Starts on"
        name="starts_on"
        type="date"
        value={values?.starts_on}
        error={errors.starts_on}
      />
      <TextField
        label="Ends on"
        name="ends_on"
        type="date"
        value={values?.ends_on}
        hint="The code works through the end of this day (UTC)."
        error={errors.ends_on}
      />
      <TextField
        label="Usage limit"
        name="limit"
        value={values?.limit}
        hint="How many orders may use it. Empty for no limit."
        error={errors.limit}
        inputmode="numeric"
      />
      <Button type="submit">Create code</Button>
    </form>
  );
}

export function PromoCodesPage(props: {
  csrfToken: string;
  /** the creator's currency: amounts off are typed in it */
  currency: string;
  promos: readonly PromoCodeJson[];
  targets: Targets;
  values: PromoFormValues | undefined;
  errors: FieldErrors;
  flash: string | undefined;
}): JSX.Element {
  return (
    <DashboardFrame
      section="promo-codes"
      title="Promo codes"
      lead="Codes fans type at checkout for a discount or free access."
      back={{ href: '/dashboard', label: 'Dashboard' }}
      flash={props.flash}
    >
      <section class="stack" aria-labelledby="codes-title">
        <h2 id="codes-title">Your codes</h2>
        {props.promos.length === 0 ? (
          <EmptyState title="No codes yet" />
        ) : (
          <ul class="promo-list" role="list">
            {props.promos.map((promo) => (
              <PromoRow promo={promo} targets={props.targets} csrfToken={props.csrfToken} />
            ))}
          </ul>
        )}
      </section>
      <section class="stack" aria-labelledby="new-code-title">
        <h2 id="new-code-title">New code</h2>
        <NewCodeForm
          csrfToken={props.csrfToken}
          currency={props.currency}
          targets={props.targets}
          values={props.values}
          errors={props.errors}
        />
      </section>
    </DashboardFrame>
  );
}
