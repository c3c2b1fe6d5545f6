// The type and price filters of a tag page: the same choices as /search, as a plain GET form.
import type { ItemType } from '../../../db/schema.js';
import { ITEM_TYPES } from '../catalog.schemas.js';
import { kindLabel } from './format.js';

function Choice(props: { value: string; label: string; current: string }) {
  return (
    <option value={props.value} selected={props.current === props.value} safe>
      {props.label}
    </option>
  );
}

export function TypePriceFilters(props: {
  action: string;
  type: ItemType | undefined;
  price: 'free' | 'paid' | undefined;
}): JSX.Element {
  return (
    <form class="feed-filters" method="get" action={props.action} aria-label="Filter this tag">
      <div class="field">
        <label class="field__label" for="filter-type">
          Type
        </label>
        <select class="field__input" id="filter-type" name="type">
          <Choice value="" label="Any type" current={props.type ?? ''} />
          {ITEM_TYPES.map((type) => (
            <Choice value={type} label={kindLabel(type)} current={props.type ?? ''} />
          ))}
        </select>
      </div>
      <div class="field">
        <label class="field__label" for="filter-price">
          Price
        </label>
        <select class="field__input" id="filter-price" name="price">
          <Choice value="" label="Any price" current={props.price ?? ''} />
          <Choice value="free" label="Free" current={props.price ?? ''} />
          <Choice value="paid" label="Paid" current={props.price ?? ''} />
        </select>
      </div>
      <button type="submit" class="button button--secondary">
        Filter
      </button>
    </form>
  );
}
