// The search form: a plain GET form that works without script. With htmx and search.js its
// text box is a WAI-ARIA 1.2 combobox whose listbox htmx fills from /search/suggest as the
// person types (debounced; a newer keystroke replaces the request in flight).
import { assetUrl } from '../../../platform/http/static-assets.js';
import { ITEM_TYPES } from '../../catalog/index.js';
import { kindLabel } from '../../catalog/index.js';
import type { SearchFilters } from './search-links.js';

export const SUGGESTIONS_ID = 'search-suggestions';

function Option(props: { value: string; label: string; current: string | undefined }) {
  return (
    <option value={props.value} selected={props.current === props.value} safe>
      {props.label}
    </option>
  );
}

export function SearchForm(props: { filters: SearchFilters; showFilters: boolean }): JSX.Element {
  const { filters } = props;
  return (
    <form class="search-form" method="get" action="/search" role="search" data-search-combobox>
      <div class="search-form__row">
        <label class="visually-hidden" for="search-q">
          Search Makenot.work
        </label>
        <div class="search-form__box">
          <input
            class="field__input search-form__input"
            id="search-q"
            name="q"
            type="search"
            value={filters.q}
            maxlength="400"
            placeholder="Search music, writing, software…"
            autocomplete="off"
            spellcheck="false"
            role="combobox"
            aria-autocomplete="list"
            aria-expanded="false"
            aria-controls={SUGGESTIONS_ID}
            aria-describedby="search-q-hint"
            hx-get="/search/suggest"
            hx-trigger="input changed delay:250ms"
            hx-target={`#${SUGGESTIONS_ID}`}
            hx-swap="outerHTML"
            hx-sync="this:replace"
          />
          <SuggestionList hits={[]} />
        </div>
        <button type="submit" class="button button--primary">
          Search
        </button>
      </div>
      <p class="visually-hidden" id="search-q-hint">
        Suggestions appear as you type: use the up and down arrows to move through them and Enter to
        open one.
      </p>
      <p class="visually-hidden" aria-live="polite" data-search-status></p>
      {filters.kind ? <input type="hidden" name="kind" value={filters.kind} /> : ''}
      {filters.tag ? <input type="hidden" name="tag" value={filters.tag} /> : ''}
      {filters.creator ? <input type="hidden" name="creator" value={filters.creator} /> : ''}
      {props.showFilters ? (
        <div class="search-form__filters">
          <div class="field">
            <label class="field__label" for="search-type">
              Type
            </label>
            <select class="field__input" id="search-type" name="type">
              <Option value="" label="Any type" current={filters.type ?? ''} />
              {ITEM_TYPES.map((type) => (
                <Option value={type} label={kindLabel(type)} current={filters.type} />
              ))}
            </select>
          </div>
          <div class="field">
            <label class="field__label" for="search-price">
              Price
            </label>
            <select class="field__input" id="search-price" name="price">
              <Option value="" label="Any price" current={filters.price ?? ''} />
              <Option value="free" label="Free" current={filters.price} />
              <Option value="paid" label="Paid" current={filters.price} />
            </select>
          </div>
        </div>
      ) : (
        ''
      )}
      <script src={assetUrl('listbox-popup.js')} defer></script>
      <script src={assetUrl('search.js')} defer></script>
    </form>
  );
}

export interface SuggestionView {
  title: string;
  url: string;
  /** "Audio", "Project", "Creator" */
  kindLabel: string;
  byline: string | undefined;
}

/** The listbox /search/suggest answers with; each option is a link to the hit. */
export function SuggestionList(props: { hits: readonly SuggestionView[] }): JSX.Element {
  return (
    <div
      class="search-suggest"
      id={SUGGESTIONS_ID}
      role="listbox"
      aria-label="Suggestions"
      hidden={props.hits.length === 0}
    >
      {props.hits.map((hit, index) => (
        <a
          class="search-suggest__option"
          id={`search-option-${index}`}
          role="option"
          aria-selected="false"
          href={hit.url}
          tabindex="-1"
        >
          <span class="search-suggest__title" safe>
            {hit.title}
          </span>
          <span class="search-suggest__meta" safe>
            {hit.byline ? `${hit.kindLabel} · ${hit.byline}` : hit.kindLabel}
          </span>
        </a>
      ))}
    </div>
  );
}
