// Cards for the item and creator grids (home, discover, search, tags). They take plain view
// data, already formatted by the module that loaded it, and escape every text field.

// Kita's types lack `sizes` on <img>, which srcset with width descriptors needs.
declare global {
  // eslint-disable-next-line @typescript-eslint/no-namespace
  namespace JSX {
    interface HtmlImageTag {
      sizes?: undefined | string;
    }
  }
}
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
  /** every size of the cover, so the browser picks one for the card's width */
  coverSrcset?: string | undefined;
  /** a state shown as a badge in place of the price, e.g. "Refunded" */
  badge?: string | undefined;
  /** a short line under the price or badge, e.g. "Available until 7 March 2027" */
  note?: string | undefined;
}

export interface CreatorCardData {
  url: string;
  handle: string;
  displayName: string;
  tagline?: string | undefined;
  avatarUrl?: string | undefined;
  avatarSrcset?: string | undefined;
}

export interface ProjectCardData {
  url: string;
  title: string;
  /** e.g. "3 releases" */
  meta?: string | undefined;
  coverUrl?: string | undefined;
  coverSrcset?: string | undefined;
}

/** Cards are a grid column: about a third of the page on wide screens, half on phones. */
const CARD_SIZES = '(min-width: 72rem) 18rem, (min-width: 40rem) 30vw, 50vw';

function Cover(props: { title: string; url: string | undefined; srcset: string | undefined }) {
  return props.url ? (
    <img
      class="item-card__cover"
      src={props.url}
      srcset={props.srcset}
      sizes={props.srcset ? CARD_SIZES : undefined}
      alt=""
      loading="lazy"
      decoding="async"
    />
  ) : (
    <div
      class={`item-card__cover item-card__cover--blank item-card__cover--tone-${toneOf(props.title)}`}
      aria-hidden="true"
      safe
    >
      {initialOf(props.title)}
    </div>
  );
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
      <Cover title={item.title} url={item.coverUrl} srcset={item.coverSrcset} />
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
        {item.badge ? (
          <p class="item-card__price">
            <span class="badge item-card__badge" safe>
              {item.badge}
            </span>
          </p>
        ) : (
          <p class="item-card__price" safe>
            {item.priceLabel}
          </p>
        )}
        {item.note ? (
          <p class="item-card__note" safe>
            {item.note}
          </p>
        ) : (
          ''
        )}
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
          srcset={creator.avatarSrcset}
          sizes={creator.avatarSrcset ? '5rem' : undefined}
          width="80"
          height="80"
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

export function ProjectCard(props: { project: ProjectCardData }): JSX.Element {
  const { project } = props;
  return (
    <article class="card item-card project-card">
      <Cover title={project.title} url={project.coverUrl} srcset={project.coverSrcset} />
      <div class="item-card__body">
        <h3 class="item-card__title">
          <a href={project.url} safe>
            {project.title}
          </a>
        </h3>
        {project.meta ? (
          <p class="item-card__meta" safe>
            {project.meta}
          </p>
        ) : (
          ''
        )}
      </div>
    </article>
  );
}

export function ProjectGrid(props: { projects: readonly ProjectCardData[] }): JSX.Element {
  return (
    <ul class="card-grid" role="list">
      {props.projects.map((project) => (
        <li>
          <ProjectCard project={project} />
        </li>
      ))}
    </ul>
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
