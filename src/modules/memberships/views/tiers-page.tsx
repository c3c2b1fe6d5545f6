// /dashboard/projects/<id>/membership: the creator's tiers (add, edit, archive or delete) and
// the project's members, with a CSV export.
import type { FieldErrors } from '../../../platform/errors.js';
import { Button, EmptyState, LinkButton } from '../../../platform/views/components.js';
import { amountExample, toMajorUnits } from '../../../platform/money/index.js';
import { formatDate } from '../../../platform/dates.js';
import { memberEmail, memberName, periodLabel } from '../members-csv.js';
import type { MemberRow } from '../memberships.repository.js';
import type { TierRow } from '../tiers.repository.js';
import { priceLines } from './join-page.js';
import { CsrfField, SelectField, TextArea, TextField } from '../../../platform/views/forms.js';
import { DashboardFrame } from '../../../platform/views/dashboard-frame.js';

export type TierFormValues = Partial<
  Record<'name' | 'description' | 'benefits' | 'monthly' | 'yearly' | 'status', string>
>;

export interface TiersPageProps {
  project: { id: string; title: string; currency: string; publicUrl: string };
  tiers: readonly TierRow[];
  members: readonly MemberRow[];
  csrfToken: string;
  flash?: string | undefined;
  /** the form that was refused ('new' or a tier id), its values and errors */
  failed?: { form: string; values: TierFormValues; errors: FieldErrors } | undefined;
}

const STATUS_LABEL: Record<MemberRow['status'], string> = {
  trialing: 'Trial',
  active: 'Active',
  past_due: 'Payment failed',
  canceled: 'Canceled',
  ended: 'Ended',
};

export function tierValues(tier: TierRow): TierFormValues {
  const currency = tier.currency.trim();
  return {
    name: tier.name,
    description: tier.description,
    benefits: tier.benefits.join('\n'),
    monthly: tier.monthly_price === null ? '' : toMajorUnits(tier.monthly_price, currency),
    yearly: tier.yearly_price === null ? '' : toMajorUnits(tier.yearly_price, currency),
    status: tier.status,
  };
}

function TierForm(props: {
  formKey: string;
  action: string;
  currency: string;
  values: TierFormValues;
  errors: FieldErrors;
  csrfToken: string;
  submit: string;
  withStatus: boolean;
}): JSX.Element {
  const id = (name: string) => `tier-${props.formKey}-${name}`;
  const { values, errors } = props;
  return (
    <form method="post" action={props.action} class="stack tier-form" novalidate>
      <CsrfField token={props.csrfToken} />
      <TextField
        id={id('name')}
        label="Name"
        name="name"
        value={values.name}
        error={errors.name}
        maxlength={80}
        required
      />
      <TextArea
        id={id('description')}
        label="Description"
        name="description"
        hint="Markdown or plain text."
        value={values.description}
        error={errors.description}
        rows={4}
      />
      <TextArea
        id={id('benefits')}
        label="Benefits"
        name="benefits"
        hint="One short line each."
        value={values.benefits}
        error={errors.benefits}
        rows={4}
      />
      <TextField
        id={id('monthly')}
        label={`Monthly price in ${props.currency}`}
        name="monthly"
        hint={`Like ${amountExample(props.currency)}. Leave empty for no monthly option.`}
        inputmode="decimal"
        value={values.monthly}
        error={errors.monthly_price}
      />
      <TextField
        id={id('yearly')}
        label={`Yearly price in ${props.currency}`}
        name="yearly"
        hint={`Like ${amountExample(props.currency)}. Leave empty for no yearly option.`}
        inputmode="decimal"
        value={values.yearly}
        error={errors.yearly_price}
      />
      {props.withStatus ? (
        <SelectField
          id={id('status')}
          label="Status"
          name="status"
          value={values.status === 'archived' ? 'archived' : 'active'}
          options={[
            { value: 'active', label: 'Active: open to new members' },
            { value: 'archived', label: 'Archived: closed to new members' },
          ]}
        />
      ) : (
        ''
      )}
      <Button type="submit" variant="primary">
        <span safe>{props.submit}</span>
      </Button>
    </form>
  );
}

function MembersTable(props: { members: readonly MemberRow[] }): JSX.Element {
  return (
    <div class="table-scroll">
      <table class="members-table">
        <caption class="visually-hidden">Members</caption>
        <thead>
          <tr>
            <th scope="col">Member</th>
            <th scope="col">Tier</th>
            <th scope="col">Status</th>
            <th scope="col">Since</th>
            <th scope="col">Renews or ends</th>
          </tr>
        </thead>
        <tbody>
          {props.members.map((row) => {
            const next = periodLabel(row);
            return (
              <tr>
                <td>
                  <span safe>{memberName(row)}</span>
                  <br />
                  <span class="members-table__email" safe>
                    {memberEmail(row)}
                  </span>
                </td>
                <td
                  safe
                >{`${row.tier_name} (${row.interval === 'month' ? 'monthly' : 'yearly'})`}</td>
                <td safe>{STATUS_LABEL[row.status]}</td>
                <td safe>{formatDate(row.started_at)}</td>
                <td
                  safe
                >{`${next === 'renews' ? 'Renews' : next === 'ends' ? 'Ends' : 'Ended'} ${formatDate(row.current_period_end)}`}</td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}

export function TiersPage(props: TiersPageProps): JSX.Element {
  const { project, failed } = props;
  const currency = project.currency.trim();
  const formState = (key: string, fallback: TierFormValues) =>
    failed?.form === key
      ? { values: failed.values, errors: failed.errors }
      : { values: fallback, errors: {} };
  const fresh = formState('new', {});
  return (
    <DashboardFrame
      section="memberships"
      within
      title={`Membership: ${project.title}`}
      lead="Tiers fans join monthly or yearly. Members play everything priced “members” in full."
      back={{ href: `/dashboard/projects/${project.id}`, label: project.title }}
      flash={props.flash}
      actions={
        <LinkButton href={`${project.publicUrl}/membership`} variant="secondary" small>
          See the public page
        </LinkButton>
      }
    >
      <section aria-labelledby="tiers-title" class="stack">
        <h2 id="tiers-title">Tiers</h2>
        {props.tiers.length === 0 ? <p>No tiers yet: add the first one below.</p> : ''}
        {props.tiers.map((tier) => {
          const state = formState(tier.id, tierValues(tier));
          return (
            <details class="tier-edit" open={failed?.form === tier.id}>
              <summary>
                <span safe>{tier.name}</span>{' '}
                <span class="tier-edit__facts" safe>
                  {`${priceLines(tier).join(' or ')}${tier.status === 'archived' ? ' · archived' : ''}`}
                </span>
              </summary>
              <TierForm
                formKey={tier.id}
                action={`/dashboard/tiers/${tier.id}`}
                currency={currency}
                values={state.values}
                errors={state.errors}
                csrfToken={props.csrfToken}
                submit="Save tier"
                withStatus
              />
              <form method="post" action={`/dashboard/tiers/${tier.id}/delete`}>
                <CsrfField token={props.csrfToken} />
                <Button type="submit" variant="danger" small>
                  Delete (archived instead when it has members)
                </Button>
              </form>
            </details>
          );
        })}
        <h3 id="new-tier-title">Add a tier</h3>
        <TierForm
          formKey="new"
          action={`/dashboard/projects/${project.id}/tiers`}
          currency={currency}
          values={fresh.values}
          errors={fresh.errors}
          csrfToken={props.csrfToken}
          submit="Add tier"
          withStatus={false}
        />
      </section>
      <section aria-labelledby="members-title" class="stack">
        <h2 id="members-title">Members</h2>
        {props.members.length === 0 ? (
          <EmptyState title="No members yet" level={3}>
            <p>Share the membership page; everyone who joins appears here.</p>
          </EmptyState>
        ) : (
          <>
            <p>
              <a href={`/dashboard/projects/${project.id}/members.csv`} download="">
                Download the members as CSV
              </a>
            </p>
            <MembersTable members={props.members} />
          </>
        )}
      </section>
    </DashboardFrame>
  );
}
