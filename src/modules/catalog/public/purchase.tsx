// What a purchase opens, shown where a buyer lands without an account (the thank-you page of a
// receipt's signed link): the whole text, the full player and the downloads, decided by the one
// access rule for the viewer the link proves. A bundle opens each item it holds.
import type { Executor } from '../../../db/database.js';
import { readableHtml, type Access, type Viewer } from '../../access/index.js';
import type { MediaLinks } from '../../files/index.js';
import type { ItemMedia } from '../../files/index.js';
import { findImageRef, type ImageRef } from '../images.service.js';
import { listBundleContents, listChapters } from '../item-extras.service.js';
import type { ItemRow } from '../items.repository.js';
import type { CatalogDeps } from '../projects.service.js';
import { findPublicItemById } from '../public.repository.js';
import { kindLabel } from './format.js';
import { Reading, type ChapterView, type ReadingView } from './item-page.js';
import { Markdown } from './parts.js';
import { Downloads, Player } from './player.js';
import { creatorPath } from './urls.js';

export interface PurchasePart {
  id: string;
  title: string;
  kindLabel: string;
  reading: ReadingView | undefined;
  media: ItemMedia;
  chapters: ChapterView[];
}

export interface PurchaseContentProps extends PurchasePart {
  creatorName: string;
  creatorUrl: string;
  cover: ImageRef | undefined;
  /** a bundle's items, each opened the same way */
  parts: PurchasePart[];
}

type Deps = Pick<CatalogDeps, 'db' | 'access' | 'loadMedia'>;

async function partOf(
  deps: Deps,
  item: ItemRow,
  access: Access,
  links: MediaLinks,
): Promise<PurchasePart> {
  const text = readableHtml(item, access);
  const [media, chapters] = await Promise.all([
    deps.loadMedia(item.id, access, links),
    item.type === 'audio' ? listChapters(deps.db, item.id) : Promise.resolve([]),
  ]);
  return {
    id: item.id,
    title: item.title,
    kindLabel: kindLabel(item.type),
    reading:
      item.type === 'text' && text.full && text.safeHtml !== ''
        ? { safeHtml: text.safeHtml }
        : undefined,
    media,
    chapters: chapters.map((c) => ({ startSeconds: c.start_seconds, title: c.title })),
  };
}

/** The purchase opened for this viewer; undefined when the rule gives them none of it. */
export async function loadPurchaseContent(
  deps: Deps,
  viewer: Viewer,
  itemId: string,
  links: MediaLinks,
): Promise<PurchaseContentProps | undefined> {
  const item = await findPublicItemById(deps.db, itemId);
  const access = item ? await deps.access.decide(deps.db, viewer, item) : undefined;
  if (!item || access?.level !== 'full') return undefined;
  const [main, cover, parts] = await Promise.all([
    partOf(deps, item, access, links),
    findImageRef(deps.db, item.cover_image_id),
    item.type === 'bundle' ? bundleParts(deps, deps.db, viewer, item.id, links) : [],
  ]);
  return {
    ...main,
    creatorName: item.display_name,
    creatorUrl: creatorPath(item.handle),
    cover,
    parts,
  };
}

async function bundleParts(
  deps: Deps,
  db: Executor,
  viewer: Viewer,
  bundleId: string,
  links: MediaLinks,
): Promise<PurchasePart[]> {
  const rows = await listBundleContents(db, bundleId, { includeHidden: true });
  const decisions = await deps.access.decideMany(db, viewer, rows);
  const parts = rows.flatMap((row) => {
    const access = decisions.get(row.id);
    return access?.level === 'full' ? [partOf(deps, row, access, links)] : [];
  });
  return Promise.all(parts);
}

/** One part of a bundle: its text, a plain player and its downloads, under its own heading. */
function BundlePart(props: { part: PurchasePart }) {
  const { part } = props;
  const player = part.media.player;
  return (
    <section class="purchase-part" aria-labelledby={`part-${part.id}`}>
      <h3 class="purchase-part__title" id={`part-${part.id}`}>
        <span safe>{part.title}</span>{' '}
        <span class="purchase-part__kind" safe>
          {part.kindLabel}
        </span>
      </h3>
      {part.reading ? <Markdown safeHtml={part.reading.safeHtml} class="markdown--reading" /> : ''}
      {player?.kind === 'audio' ? (
        <audio controls="" preload="none" src={player.src} aria-label={`Play ${part.title}`}>
          <a href={player.src}>Play the audio</a>
        </audio>
      ) : (
        ''
      )}
      {player?.kind === 'video' ? (
        <video controls {...{ preload: 'none' }} src={player.src} poster={player.posterSrc}>
          <a href={player.src}>Play the video</a>
        </video>
      ) : (
        ''
      )}
      {part.media.downloads.length > 0 ? (
        <ul class="downloads" role="list">
          {part.media.downloads.map((file) => (
            <li class="downloads__file">
              <a class="button button--secondary" href={file.href}>
                Download{' '}
                <span class="downloads__name" safe>
                  {file.name}
                </span>
              </a>
            </li>
          ))}
        </ul>
      ) : (
        ''
      )}
    </section>
  );
}

/** The purchase itself: the text, the player, the downloads; a bundle's items after it. */
export function PurchaseContent(props: { content: PurchaseContentProps }): JSX.Element {
  const { content } = props;
  return (
    <div class="purchase-content">
      {content.reading ? <Reading reading={content.reading} /> : ''}
      {content.media.player ? (
        <Player
          player={content.media.player}
          title={content.title}
          chapters={content.chapters}
          forWhom="buyers"
        />
      ) : (
        ''
      )}
      <Downloads media={content.media} />
      {content.parts.length > 0 ? (
        <section class="catalog-section" aria-labelledby="bundle-parts-title">
          <h2 class="catalog-section__title" id="bundle-parts-title">
            In this bundle
          </h2>
          {content.parts.map((part) => (
            <BundlePart part={part} />
          ))}
        </section>
      ) : (
        ''
      )}
    </div>
  );
}
