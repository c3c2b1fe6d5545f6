// The tag typeahead (see dashboard.js) and the listbox of suggestions it fetches.
import { fieldId } from '../../../../platform/views/forms.js';

/**
 * Tags: a comma-separated text field that works as it is. dashboard.js turns the chosen tags
 * into removable chips and the input into a combobox whose listbox htmx fills from
 * /dashboard/tags/suggest as the person types.
 */
export function TagPicker(props: { tags: readonly string[]; error: string | undefined }) {
  const id = fieldId('tags');
  const describedBy = `${id}-hint${props.error ? ` ${id}-error` : ''}`;
  return (
    <div
      class={props.error ? 'field field--invalid tag-picker' : 'field tag-picker'}
      data-tag-picker
    >
      <label class="field__label" for={id}>
        Tags <span class="field__optional">(optional)</span>
      </label>
      <p class="field__hint" id={`${id}-hint`}>
        Up to 10, separated by commas; levels split by /, like music/electronic/ambient.
      </p>
      <ul class="tag-picker__chips" aria-label="Chosen tags" data-tag-chips hidden></ul>
      <div class="tag-picker__box">
        <input
          class="field__input"
          id={id}
          name="tags"
          type="text"
          value={props.tags.join(', ')}
          autocomplete="off"
          spellcheck="false"
          autocapitalize="none"
          role="combobox"
          aria-autocomplete="list"
          aria-expanded="false"
          aria-controls="tag-suggestions"
          aria-invalid={props.error ? 'true' : undefined}
          aria-describedby={describedBy}
          hx-get="/dashboard/tags/suggest"
          hx-trigger="input changed delay:250ms"
          hx-target="#tag-suggestions"
          hx-swap="outerHTML"
          hx-sync="this:replace"
        />
        <ul
          class="tag-picker__list"
          id="tag-suggestions"
          role="listbox"
          aria-label="Suggested tags"
          hidden
        ></ul>
      </div>
      <p class="visually-hidden" aria-live="polite" data-tag-status></p>
      {props.error ? (
        <p class="field__error" id={`${id}-error`} safe>
          {props.error}
        </p>
      ) : (
        ''
      )}
    </div>
  );
}

/** The listbox of suggestions /dashboard/tags/suggest answers with. */
export function TagSuggestions(props: { tags: readonly { path: string; items: number }[] }) {
  return (
    <ul
      class="tag-picker__list"
      id="tag-suggestions"
      role="listbox"
      aria-label="Suggested tags"
      hidden={props.tags.length === 0}
    >
      {props.tags.map((tag, index) => (
        <li
          class="tag-picker__option"
          id={`tag-option-${index}`}
          role="option"
          aria-selected="false"
          data-value={tag.path}
        >
          <span safe>{tag.path}</span>
          <span class="tag-picker__count" safe>
            {` ${tag.items} ${tag.items === 1 ? 'item' : 'items'}`}
          </span>
        </li>
      ))}
    </ul>
  );
}
