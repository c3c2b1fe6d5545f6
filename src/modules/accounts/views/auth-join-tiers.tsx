// The creator tiers as a radio group: a fieldset with a legend, one native radio per tier, so
// arrow keys move between tiers and a screen reader hears "Basic, $16 a month, radio, 1 of 4".
// The numbers are PRODUCT.md's; the home page's tier table shows the same ones (a test checks
// that the two agree until a billing module owns them).
import type { CreatorTier } from '../../../db/schema.js';

export interface CreatorTierOffer {
  id: CreatorTier;
  name: string;
  monthlyUsd: number;
  perFile: string;
  total: string;
  /** what fits in it, in a few words */
  fit?: string;
}

export const CREATOR_TIERS: readonly CreatorTierOffer[] = [
  {
    id: 'basic',
    name: 'Basic',
    monthlyUsd: 16,
    perFile: '10 MB',
    total: '50 GB',
    fit: 'Writing, images and audio singles.',
  },
  {
    id: 'small_files',
    name: 'Small files',
    monthlyUsd: 24,
    perFile: '500 MB',
    total: '250 GB',
    fit: 'Lossless albums, sample packs, plugins.',
  },
  {
    id: 'big_files',
    name: 'Big files',
    monthlyUsd: 36,
    perFile: '20 GB',
    total: '500 GB',
    fit: 'Video, courses and games.',
  },
  {
    id: 'everything',
    name: 'Everything',
    monthlyUsd: 60,
    perFile: '20 GB',
    total: '500 GB',
  },
];

export function CreatorTierChoice(props: {
  selected?: CreatorTier | undefined;
  error?: string | undefined;
}): JSX.Element {
  return (
    <fieldset
      class={props.error ? 'tier-choice tier-choice--invalid' : 'tier-choice'}
      id="field-tier"
      tabindex="-1"
      aria-describedby={props.error ? 'field-tier-error' : 'tier-choice-note'}
    >
      <legend class="tier-choice__legend">Choose a tier</legend>
      <p class="tier-choice__note" id="tier-choice-note">
        Every tier sells without limits and takes <strong>0%</strong> of your sales.
      </p>
      {props.error ? (
        <p class="field__error" id="field-tier-error" safe>
          {props.error}
        </p>
      ) : (
        ''
      )}
      <div class="tier-choice__options">
        {CREATOR_TIERS.map((tier) => {
          const id = `tier-${tier.id}`;
          return (
            <div class="tier-option">
              <input
                class="tier-option__radio"
                type="radio"
                name="tier"
                id={id}
                value={tier.id}
                checked={props.selected === tier.id}
                aria-describedby={`${id}-details`}
              />
              <label class="tier-option__label" for={id}>
                <span class="tier-option__name" safe>
                  {tier.name}
                </span>
                <span class="tier-option__price">
                  <span class="tier-option__amount">${tier.monthlyUsd}</span>
                  <span class="tier-option__period"> a month</span>
                </span>
              </label>
              <p class="tier-option__details" id={`${id}-details`}>
                <span class="tier-option__limits" safe>
                  {`Files up to ${tier.perFile} · ${tier.total} in total`}
                </span>
                {tier.fit ? (
                  <span class="tier-option__fit" safe>
                    {tier.fit}
                  </span>
                ) : (
                  ''
                )}
              </p>
            </div>
          );
        })}
      </div>
    </fieldset>
  );
}
