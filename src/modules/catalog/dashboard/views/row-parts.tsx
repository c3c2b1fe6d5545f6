// Pieces of the dashboard's project and item rows: the thumbnail (the item's cover, else its
// video's poster frame, else the project's cover), the sales count, the keyboard's move buttons
// and the publish form inside the row's menu. Text props are escaped here (`safe`).
import type { ItemJson, ProjectJson } from '../../catalog.responses.js';
import { CsrfField } from '../../../../platform/views/forms.js';

export interface Moved {
  id: string;
  direction: 'up' | 'down';
}

/** What the rows show beyond the catalogue (see overview-facts.ts). */
export interface RowFacts {
  /** item id → sales; undefined when no one told us (then no count is shown) */
  sales?: ReadonlyMap<string, number> | undefined;
  /** items whose video has a poster frame */
  posters: ReadonlySet<string>;
}

export const NO_ROW_FACTS: RowFacts = { posters: new Set() };

/** Publicly readable path of an object; drafts render for their owner with a preview notice. */
export const pathOf = (url: string): string => new URL(url).pathname;

type Cover = ProjectJson['cover'];

/** srcset entries are absolute URLs of our own origin: paths keep the page host-independent. */
const srcsetPaths = (srcset: string) =>
  srcset
    .split(', ')
    .map((entry) => {
      const [url = '', width = ''] = entry.split(' ');
      return `${URL.canParse(url) ? new URL(url).pathname : url} ${width}`;
    })
    .join(', ');

export function Thumbnail(props: {
  cover: Cover;
  poster?: string | undefined;
  class: string;
  size: number;
}): JSX.Element {
  const { cover } = props;
  if (cover) {
    return (
      <img
        class={props.class}
        src={pathOf(cover.url)}
        srcset={srcsetPaths(cover.srcset)}
        sizes={`${props.size}px`}
        alt=""
        width={String(props.size)}
        height={String(props.size)}
        loading="lazy"
      />
    );
  }
  if (props.poster) {
    return (
      <img
        class={props.class}
        src={props.poster}
        alt=""
        width={String(props.size)}
        height={String(props.size)}
        loading="lazy"
      />
    );
  }
  return <span class={`${props.class} ${props.class}--blank`} aria-hidden="true" />;
}

/** The item's own cover, else its video's poster frame, else its project's cover. */
export function ItemThumbnail(props: { item: ItemJson; projectCover: Cover; facts: RowFacts }) {
  const { item } = props;
  const poster = props.facts.posters.has(item.id) ? `/poster/${item.id}` : undefined;
  return (
    <Thumbnail
      cover={item.cover ?? (poster ? null : props.projectCover)}
      poster={poster}
      class="item-row__thumb"
      size={56}
    />
  );
}

/** "3 sales", "1 claimed" (free items), "No sales yet"; nothing when the count is unknown. */
export function salesLabel(item: ItemJson, sales: RowFacts['sales']): string | undefined {
  if (!sales) return undefined;
  const count = sales.get(item.id) ?? 0;
  if (item.price.model === 'free') return count === 0 ? 'Not claimed yet' : `${count} claimed`;
  if (count === 0) return 'No sales yet';
  return count === 1 ? '1 sale' : `${count} sales`;
}

export function MoveButtons(props: {
  kind: 'project' | 'item';
  id: string;
  title: string;
  index: number;
  count: number;
  target: string;
  csrfToken: string;
  moved: Moved | undefined;
}) {
  const action = `/dashboard/${props.kind === 'project' ? 'projects' : 'items'}/${props.id}/move`;
  const atTop = props.index === 0;
  const atBottom = props.index === props.count - 1;
  const focus = props.moved?.id === props.id ? props.moved.direction : undefined;
  // The pressed button keeps focus; at an end it is disabled, so its partner takes it.
  const focusUp = (focus === 'up' && !atTop) || (focus === 'down' && atBottom && !atTop);
  const focusDown = (focus === 'down' && !atBottom) || (focus === 'up' && atTop && !atBottom);
  if (props.count < 2) return <></>;
  return (
    <form
      method="post"
      action={action}
      class="move-form"
      hx-post={action}
      hx-target={`#${props.target}`}
      hx-swap="outerHTML"
    >
      <CsrfField token={props.csrfToken} />
      <span class="drag-handle" aria-hidden="true" title="Drag to reorder" data-needs-js hidden>
        ⠿
      </span>
      <button
        type="submit"
        class="button button--ghost button--small button--icon"
        name="direction"
        value="up"
        title="Move up"
        id={`move-up-${props.id}`}
        disabled={atTop}
        autofocus={focusUp}
      >
        <span aria-hidden="true">↑</span>
        <span class="visually-hidden" safe>{`Move up ‘${props.title}’`}</span>
      </button>
      <button
        type="submit"
        class="button button--ghost button--small button--icon"
        name="direction"
        value="down"
        title="Move down"
        id={`move-down-${props.id}`}
        disabled={atBottom}
        autofocus={focusDown}
      >
        <span aria-hidden="true">↓</span>
        <span class="visually-hidden" safe>{`Move down ‘${props.title}’`}</span>
      </button>
    </form>
  );
}

/** Publish a draft, or take a published or unlisted item back to draft. */
export function StatusForm(props: { item: ItemJson; csrfToken: string }) {
  const { item } = props;
  const publish = item.status === 'draft';
  const action = publish
    ? `/dashboard/items/${item.id}/publish`
    : `/dashboard/items/${item.id}/status`;
  return (
    <form method="post" action={action} class="row-menu__form">
      <CsrfField token={props.csrfToken} />
      {publish ? '' : <input type="hidden" name="status" value="draft" />}
      <button type="submit" class="row-menu__action">
        {publish ? 'Publish' : 'Unpublish'}
        <span class="visually-hidden" safe>{` ‘${item.title}’`}</span>
      </button>
    </form>
  );
}
