// schema.org descriptions of the public pages, for search engines and link previews. The layout
// escapes them for the <script type="application/ld+json"> block; here they are plain objects.
import type { ItemType } from '../../../db/schema.js';
import { shortenText } from '../../../platform/markdown/index.js';
import { textOf } from '../rendered-text.js';
import type { ItemRow } from '../items.repository.js';
import type { CreatorProfile } from '../profile.service.js';
import { toMajorUnits } from '../../../platform/money/index.js';

type JsonLd = Record<string, unknown>;

const CONTEXT = 'https://schema.org';

const ITEM_TYPES: Record<ItemType, string> = {
  audio: 'MusicRecording',
  video: 'VideoObject',
  text: 'Article',
  image: 'VisualArtwork',
  digital: 'CreativeWork',
  software: 'SoftwareApplication',
  course: 'Course',
  bundle: 'CreativeWork',
};

/** og:type for an item page: what link previews call the thing. */
export function ogTypeOf(type: ItemType): string {
  switch (type) {
    case 'audio':
      return 'music.song';
    case 'video':
      return 'video.other';
    case 'text':
      return 'article';
    case 'image':
    case 'digital':
    case 'software':
    case 'course':
    case 'bundle':
      return 'website';
  }
}

export function personJsonLd(creator: CreatorProfile, url: string, image?: string): JsonLd {
  return {
    '@context': CONTEXT,
    '@type': 'Person',
    name: creator.displayName,
    alternateName: `@${creator.handle}`,
    url,
    ...(image && { image }),
    ...(creator.bio && { description: shortenText(creator.bioText, 300) }),
    ...(creator.links.length > 0 && { sameAs: creator.links.map((link) => link.url) }),
  };
}

function authorOf(creator: CreatorProfile, creatorUrl: string): JsonLd {
  return { '@type': 'Person', name: creator.displayName, url: creatorUrl };
}

/** An Offer for priced and free items; members-only items have no public price. */
function offerOf(item: ItemRow, url: string): JsonLd | undefined {
  const price =
    item.price_model === 'fixed'
      ? item.price_amount
      : item.price_model === 'pwyw'
        ? item.price_minimum
        : item.price_model === 'free'
          ? 0
          : null;
  if (price === null) return undefined;
  return {
    '@type': 'Offer',
    price: toMajorUnits(price, item.currency),
    priceCurrency: item.currency,
    availability: 'https://schema.org/InStock',
    url,
  };
}

export interface ItemJsonLdInput {
  item: ItemRow;
  creator: CreatorProfile;
  url: string;
  creatorUrl: string;
  image?: string | undefined;
  tags: readonly string[];
}

export function itemJsonLd(input: ItemJsonLdInput): JsonLd {
  const { item, creator, url } = input;
  const type = ITEM_TYPES[item.type];
  const author = authorOf(creator, input.creatorUrl);
  const published = item.release_date ?? item.published_at?.toISOString().slice(0, 10);
  const offer = offerOf(item, url);
  return {
    '@context': CONTEXT,
    '@type': type,
    name: item.title,
    url,
    ...(item.description && {
      description: textOf(item.description, item.description_text, 300),
    }),
    ...(input.image && { image: input.image }),
    ...(type === 'MusicRecording' ? { byArtist: author } : { author }),
    ...(type === 'Article' && { headline: item.title.slice(0, 110) }),
    ...(type === 'VideoObject' && input.image && { thumbnailUrl: input.image }),
    ...(type === 'VideoObject' && published && { uploadDate: published }),
    ...(type === 'Course' && { provider: author }),
    ...(published && { datePublished: published }),
    ...(input.tags.length > 0 && { keywords: input.tags.join(', ') }),
    ...(offer && { offers: offer }),
  };
}

export interface ProjectJsonLdInput {
  title: string;
  description: string;
  /** its stored plain text (null: not rendered yet) */
  descriptionText: string | null;
  url: string;
  creator: CreatorProfile;
  creatorUrl: string;
  image?: string | undefined;
  /** the listed items, in order, with their absolute URLs */
  items: readonly { title: string; url: string; type: ItemType }[];
}

/** A project of only audio is an album with a track list; anything else a creative work. */
export function isAlbum(items: readonly { type: ItemType }[]): boolean {
  return items.length > 0 && items.every((item) => item.type === 'audio');
}

export function projectJsonLd(input: ProjectJsonLdInput): JsonLd {
  const album = isAlbum(input.items);
  const author = authorOf(input.creator, input.creatorUrl);
  const parts = input.items.map((item, index) => ({
    '@type': album ? 'MusicRecording' : ITEM_TYPES[item.type],
    name: item.title,
    url: item.url,
    ...(album && { position: index + 1 }),
  }));
  return {
    '@context': CONTEXT,
    '@type': album ? 'MusicAlbum' : 'CreativeWork',
    name: input.title,
    url: input.url,
    ...(input.description && {
      description: textOf(input.description, input.descriptionText, 300),
    }),
    ...(input.image && { image: input.image }),
    ...(album ? { byArtist: author, numTracks: parts.length, track: parts } : { author }),
    ...(!album && parts.length > 0 && { hasPart: parts }),
  };
}

export function collectionJsonLd(input: {
  name: string;
  url: string;
  items: readonly { title: string; url: string }[];
}): JsonLd {
  return {
    '@context': CONTEXT,
    '@type': 'CollectionPage',
    name: input.name,
    url: input.url,
    mainEntity: {
      '@type': 'ItemList',
      itemListElement: input.items.map((item, index) => ({
        '@type': 'ListItem',
        position: index + 1,
        url: item.url,
        name: item.title,
      })),
    },
  };
}
