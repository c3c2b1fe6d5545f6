// /@handle/<project>/membership: the project's active tiers with their prices and benefits, and
// a Join form per tier (monthly or yearly; an email for guests; an optional code).
import type { FieldErrors } from '../../../platform/errors.js';
import { Button, EmptyState, Notice, PageHeader } from '../../../platform/views/components.js';
import { formatPrice } from '../../../platform/money/index.js';
import { Breadcrumbs, Markdown } from '../../catalog/index.js';
import { renderMarkdown } from '../../../platform/markdown/index.js';
import type { TierRow } from '../tiers.repository.js';

export interface JoinPageProps {
  projectTitle: string;
  projectUrl: string;
  creatorName: string;
  creatorUrl: string;
  action: string;
  tiers: readonly TierRow[];
  signedIn: boolean;
  csrfToken: string;
  /** the tier whose form was refused, its values and errors */
  failed?: { tierId: string; values: Record<string, string>; errors: FieldErrors } | undefined;
}

export function priceLines(tier: Pick<TierRow, 'monthly_price' | 'yearly_price' | 'currency'>) {
  const currency = tier.currency.trim();
  return [
    tier.monthly_price === null ? '' : `${formatPrice(tier.monthly_price, currency)} a month`,
    tier.yearly_price === null ? '' : `${formatPrice(tier.yearly_price, currency)} a year`,
  ].filter(Boolean);
}

function ErrorText(props: { id: string; error: string | undefined }): JSX.Element {
  if (!props.error) return <></>;
  return (
    <p class="field__error" id={props.id} safe>
      {props.error}
    </p>
  );
}

function JoinForm(props: JoinPageProps & { tier: TierRow }): JSX.Element {
  const { tier } = props;
  const prefix = `tier-${tier.id}`;
  const failed = props.failed?.tierId === tier.id ? props.failed : undefined;
  const errors = failed?.errors ?? {};
  const values = failed?.values ?? {};
  const currency = tier.currency.trim();
  const options = [
    tier.monthly_price === null
      ? undefined
      : { value: 'month', label: `Monthly, ${formatPrice(tier.monthly_price, currency)}` },
    tier.yearly_price === null
      ? undefined
      : { value: 'year', label: `Yearly, ${formatPrice(tier.yearly_price, currency)}` },
  ].filter((option) => option !== undefined);
  const chosen = values.interval ?? options[0]?.value;
  return (
    <form method="post" action={props.action} class="stack membership-join" novalidate>
      <input type="hidden" name="_csrf" value={props.csrfToken} />
      <input type="hidden" name="tier_id" value={tier.id} />
      <fieldset
        class="choice-group"
        aria-describedby={errors.interval ? `${prefix}-interval-error` : undefined}
      >
        <legend class="field__label">How often to pay</legend>
        <div class="choice-cards choice-cards--compact">
          {options.map((option) => (
            <label class="choice-card" for={`${prefix}-${option.value}`}>
              <input
                type="radio"
                id={`${prefix}-${option.value}`}
                name="interval"
                value={option.value}
                checked={chosen === option.value}
                required
              />
              <span class="choice-card__label" safe>
                {option.label}
              </span>
            </label>
          ))}
        </div>
        <ErrorText id={`${prefix}-interval-error`} error={errors.interval} />
      </fieldset>
      {props.signedIn ? (
        ''
      ) : (
        <div class={errors.email ? 'field field--invalid' : 'field'}>
          <label class="field__label" for={`${prefix}-email`}>
            Your email
          </label>
          <input
            class="field__input"
            id={`${prefix}-email`}
            name="email"
            type="email"
            autocomplete="email"
            value={values.email}
            required
            aria-invalid={errors.email ? 'true' : undefined}
            aria-describedby={errors.email ? `${prefix}-email-error` : undefined}
          />
          <ErrorText id={`${prefix}-email-error`} error={errors.email} />
        </div>
      )}
      <div class={errors.promo_code ? 'field field--invalid' : 'field'}>
        <label class="field__label" for={`${prefix}-code`}>
          Code <span class="field__optional">(optional)</span>
        </label>
        <input
          class="field__input"
          id={`${prefix}-code`}
          name="promo_code"
          autocomplete="off"
          value={values.promo_code}
          aria-invalid={errors.promo_code ? 'true' : undefined}
          aria-describedby={errors.promo_code ? `${prefix}-code-error` : undefined}
        />
        <ErrorText id={`${prefix}-code-error`} error={errors.promo_code} />
      </div>
      <Button type="submit" variant="primary">
        <span safe>{`Join ${tier.name}`}</span>
      </Button>
    </form>
  );
}

export function JoinPage(props: JoinPageProps): JSX.Element {
  const problem = props.failed ? Object.values(props.failed.errors)[0] : undefined;
  return (
    <div class="wrap catalog-page">
      <Breadcrumbs
        crumbs={[
          { label: props.creatorName, href: props.creatorUrl },
          { label: props.projectTitle, href: props.projectUrl },
          { label: 'Membership' },
        ]}
      />
      <PageHeader
        eyebrow="Membership"
        title={`Join ${props.projectTitle}`}
        lead={`Support ${props.creatorName} every month or year, and get the members-only work.`}
      />
      {problem ? (
        <Notice tone="error" title="Please check the form">
          <p safe>{problem}</p>
        </Notice>
      ) : (
        ''
      )}
      {props.tiers.length === 0 ? (
        <EmptyState title="No memberships open" level={2}>
          <p>This project has no membership tiers right now.</p>
        </EmptyState>
      ) : (
        <ul class="membership-tiers" role="list">
          {props.tiers.map((tier) => (
            <li class="membership-tier">
              <section aria-labelledby={`tier-${tier.id}-name`}>
                <h2 class="membership-tier__name" id={`tier-${tier.id}-name`} safe>
                  {tier.name}
                </h2>
                <p class="membership-tier__price" safe>
                  {priceLines(tier).join(' or ')}
                </p>
                {tier.description ? <Markdown safeHtml={renderMarkdown(tier.description)} /> : ''}
                {tier.benefits.length > 0 ? (
                  <ul class="membership-tier__benefits">
                    {tier.benefits.map((benefit) => (
                      <li safe>{benefit}</li>
                    ))}
                  </ul>
                ) : (
                  ''
                )}
                <JoinForm {...props} tier={tier} />
              </section>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
