// Cards for the item and creator grids (home, discover, search, tags). They take plain view
// data, already formatted by the module that loaded it, and escape every text field.
export interface ItemCardData {
  url: string;
  title: string;
  creatorName: string;
  creatorUrl: string;
  /** e.g. "Album", "Sample pack", "Essay" */
  kindLabel: string;
  /** e.g. "$12", "Free", "Name your price" */
  priceLabel: string;
  coverUrl?: string | undefined;
}

export interface CreatorCardData {
  url: string;
  handle: string;
  displayName: string;
  tagline?: string | undefined;
  avatarUrl?: string | undefined;
}

function initialOf(name: string): string {
  return Array.from(name.trim())[0]?.toUpperCase() ?? '?';
}

/** A stable colour for a cover placeholder, so a grid of blank covers is not one flat block. */
function toneOf(text: string): number {
  let sum = 0;
  for (const char of text) sum = (sum * 31 + (char.codePointAt(0) ?? 0)) % 9973;
  return sum % 4;
}

export function ItemCard(props: { item: ItemCardData }): JSX.Element {
  const { item } = props;
  return (
    <article class="card item-card">
      {item.coverUrl ? (
        <img class="item-card__cover" src={item.coverUrl} alt="" loading="lazy" decoding="async" />
      ) : (
        <div
          class={`item-card__cover item-card__cover--blank item-card__cover--tone-${toneOf(item.title)}`}
          aria-hidden="true"
          safe
        >
          {initialOf(item.title)}
        </div>
      )}
      <div class="item-card__body">
        <p class="item-card__kind" safe>
          {item.kindLabel}
        </p>
        <h3 class="item-card__title">
          <a href={item.url} safe>
            {item.title}
          </a>
        </h3>
        <p class="item-card__meta">
          by{' '}
          <a href={item.creatorUrl} safe>
            {item.creatorName}
          </a>
        </p>
        <p class="item-card__price" safe>
          {item.priceLabel}
        </p>
      </div>
    </article>
  );
}

export function CreatorCard(props: { creator: CreatorCardData }): JSX.Element {
  const { creator } = props;
  return (
    <article class="card creator-card">
      {creator.avatarUrl ? (
        <img
          class="creator-card__avatar"
          src={creator.avatarUrl}
          alt=""
          loading="lazy"
          decoding="async"
        />
      ) : (
        <div class="creator-card__avatar creator-card__avatar--blank" aria-hidden="true" safe>
          {initialOf(creator.displayName)}
        </div>
      )}
      <h3 class="creator-card__name">
        <a href={creator.url} safe>
          {creator.displayName}
        </a>
      </h3>
      <p class="creator-card__handle" safe>
        {`@${creator.handle}`}
      </p>
      {creator.tagline ? (
        <p class="creator-card__tagline" safe>
          {creator.tagline}
        </p>
      ) : (
        ''
      )}
    </article>
  );
}

export function ItemGrid(props: { items: readonly ItemCardData[] }): JSX.Element {
  return (
    <ul class="card-grid" role="list">
      {props.items.map((item) => (
        <li>
          <ItemCard item={item} />
        </li>
      ))}
    </ul>
  );
}

export function CreatorGrid(props: { creators: readonly CreatorCardData[] }): JSX.Element {
  return (
    <ul class="card-grid card-grid--creators" role="list">
      {props.creators.map((creator) => (
        <li>
          <CreatorCard creator={creator} />
        </li>
      ))}
    </ul>
  );
}
