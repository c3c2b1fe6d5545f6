// /@handle/<project>/<item>: everything about one item. Text items are read right here; audio
// shows its chapters, software and downloads their versions, bundles what they contain.
import type { AiTier } from '../../../db/schema.js';
import { ItemGrid, type ItemCardData } from '../../../platform/views/cards.js';
import { Notice } from '../../../platform/views/components.js';
import type { ImageRef } from '../images.service.js';
import {
  AI_EXPLANATIONS,
  AI_LABELS,
  formatDate,
  formatDuration,
  isoDate,
  isoDuration,
} from './format.js';
import { Breadcrumbs, LargeCover, Markdown, OwnerEdit } from './parts.js';
import { Downloads, Player } from './player.js';
import type { ItemMedia } from '../../files/index.js';
import { tagPath } from './urls.js';

export interface VersionView {
  version: string;
  releasedAt: string;
  safeChangelogHtml: string;
}

/** A text item's words for one visitor: all of it, or the free part and what opens the rest. */
export interface ReadingView {
  /** rendered and sanitised markdown */
  safeHtml: string;
  locked?: {
    forWhom: 'buyers' | 'members';
    action?: { href: string; label: string };
  };
}

export interface ChapterView {
  startSeconds: number;
  title: string;
}

export interface ItemPageProps {
  /** the item's editor, for its creator only */
  editHref?: string | undefined;
  title: string;
  kindLabel: string;
  cover: ImageRef | undefined;
  creatorName: string;
  creatorUrl: string;
  projectTitle: string;
  projectUrl: string;
  priceLabel: string;
  aiTier: AiTier | null;
  aiStatement: string | null;
  releaseDate: string | null;
  credits: string;
  tags: readonly string[];
  safeDescriptionHtml: string;
  /** text items: what this visitor may read of the text */
  reading?: ReadingView | undefined;
  /** the player and downloads for this visitor */
  media?: ItemMedia | undefined;
  /** who gets the whole thing: those who buy it, or members */
  forWhom: 'buyers' | 'members';
  /** the creator left: the visitor keeps what they have until then */
  keptUntil?: Date | undefined;
  versions: readonly VersionView[];
  chapters: readonly ChapterView[];
  /** bundles: the items they contain */
  bundle: readonly ItemCardData[] | undefined;
  /** the creator looking at their own draft or unlisted item */
  ownerNotice: 'draft' | 'unlisted' | undefined;
  permalink: string;
  /** the visitor's next step: buy (or name a price), join a membership, or it is theirs */
  action?: { kind: 'buy' | 'join' | 'owned'; href: string; label: string } | undefined;
}

function OwnerNotice(props: { kind: 'draft' | 'unlisted' | undefined }) {
  if (props.kind === 'draft') {
    return (
      <Notice tone="warning" title="Draft preview — only you can see this">
        <p>Publish it from your dashboard when it is ready.</p>
      </Notice>
    );
  }
  if (props.kind === 'unlisted') {
    return (
      <Notice title="Unlisted">
        <p>Anyone with the link can see this page; it is not listed anywhere on the site.</p>
      </Notice>
    );
  }
  return <></>;
}

function AiBadge(props: { tier: AiTier | null; statement: string | null }) {
  if (!props.tier) return <></>;
  return (
    <div class={`ai-badge ai-badge--${props.tier}`}>
      <p class="ai-badge__label">
        <span class="ai-badge__tier" safe>
          {AI_LABELS[props.tier]}
        </span>{' '}
        <span class="ai-badge__explanation" safe>
          {AI_EXPLANATIONS[props.tier]}
        </span>
      </p>
      {props.tier === 'assisted' && props.statement ? (
        <p class="ai-badge__statement" safe>
          {props.statement}
        </p>
      ) : (
        ''
      )}
    </div>
  );
}

function Facts(props: Pick<ItemPageProps, 'releaseDate' | 'credits' | 'tags' | 'permalink'>) {
  return (
    <dl class="release-facts">
      {props.releaseDate ? (
        <div>
          <dt>Released</dt>
          <dd>
            <time datetime={isoDate(props.releaseDate)} safe>
              {formatDate(props.releaseDate)}
            </time>
          </dd>
        </div>
      ) : (
        ''
      )}
      {props.credits.trim() ? (
        <div>
          <dt>Credits</dt>
          <dd class="release-facts__credits" safe>
            {props.credits}
          </dd>
        </div>
      ) : (
        ''
      )}
      {props.tags.length > 0 ? (
        <div>
          <dt>Tags</dt>
          <dd>
            <ul class="tag-list" role="list">
              {props.tags.map((tag) => (
                <li>
                  <a class="tag" href={tagPath(tag)} safe>
                    {tag}
                  </a>
                </li>
              ))}
            </ul>
          </dd>
        </div>
      ) : (
        ''
      )}
      <div>
        <dt>Permanent link</dt>
        <dd>
          <a href={props.permalink} safe>
            {props.permalink}
          </a>
        </dd>
      </div>
    </dl>
  );
}

function Chapters(props: { chapters: readonly ChapterView[] }) {
  if (props.chapters.length === 0) return <></>;
  return (
    <section class="catalog-section" aria-labelledby="chapters-title">
      <h2 id="chapters-title" class="catalog-section__title">
        Chapters
      </h2>
      <ol class="chapters" role="list">
        {props.chapters.map((chapter) => (
          <li>
            <time class="chapters__time" datetime={isoDuration(chapter.startSeconds)} safe>
              {formatDuration(chapter.startSeconds)}
            </time>{' '}
            <span safe>{chapter.title}</span>
          </li>
        ))}
      </ol>
    </section>
  );
}

function Versions(props: { versions: readonly VersionView[] }) {
  if (props.versions.length === 0) return <></>;
  return (
    <section class="catalog-section" aria-labelledby="versions-title">
      <h2 id="versions-title" class="catalog-section__title">
        Versions
      </h2>
      <ol class="versions" role="list">
        {props.versions.map((version, index) => (
          <li class="versions__entry">
            <h3 class="versions__name">
              <span safe>{version.version}</span>
              {index === 0 ? <span class="versions__latest">Latest</span> : ''}
            </h3>
            <p class="versions__date">
              <time datetime={isoDate(version.releasedAt)} safe>
                {formatDate(new Date(version.releasedAt))}
              </time>
            </p>
            {version.safeChangelogHtml ? <Markdown safeHtml={version.safeChangelogHtml} /> : ''}
          </li>
        ))}
      </ol>
    </section>
  );
}

/** The text, or its free part followed by a clear break saying who the rest is for. */
export function Reading(props: { reading: ReadingView }): JSX.Element {
  const { safeHtml, locked } = props.reading;
  if (!locked) {
    return (
      <section class="catalog-section reading" aria-label="Text">
        <Markdown safeHtml={safeHtml} class="markdown--reading" />
      </section>
    );
  }
  return (
    <section class="catalog-section reading" aria-label="The free part">
      {safeHtml ? <Markdown safeHtml={safeHtml} class="markdown--reading" /> : ''}
      <div class="paywall" role="note" aria-labelledby="paywall-title">
        <p class="paywall__title" id="paywall-title">
          {locked.forWhom === 'members'
            ? 'The rest is for members.'
            : 'The rest is for those who buy it.'}
        </p>
        {locked.action ? (
          <p class="paywall__action">
            <a class="button button--primary" href={locked.action.href} safe>
              {locked.action.label}
            </a>
          </p>
        ) : (
          ''
        )}
      </div>
    </section>
  );
}

function KeptNotice(props: { until: Date | undefined; creatorName: string }) {
  if (!props.until) return <></>;
  return (
    <Notice title={`${props.creatorName} has left Makenot.work`}>
      <p>
        What you bought or have as a member stays yours until{' '}
        <time datetime={props.until.toISOString()} safe>
          {formatDate(props.until)}
        </time>
        : download it to keep it.
      </p>
    </Notice>
  );
}

export function ItemPage(props: ItemPageProps): JSX.Element {
  return (
    <div class="wrap catalog-page">
      <OwnerNotice kind={props.ownerNotice} />
      {props.editHref ? <OwnerEdit href={props.editHref} what="item" /> : ''}
      <KeptNotice until={props.keptUntil} creatorName={props.creatorName} />
      <Breadcrumbs
        crumbs={[
          { label: props.creatorName, href: props.creatorUrl },
          { label: props.projectTitle, href: props.projectUrl },
          { label: props.title },
        ]}
      />
      <article class="release" aria-labelledby="item-title">
        <header class="release-head">
          <LargeCover image={props.cover} title={props.title} />
          <div class="release-head__text">
            <p class="eyebrow" safe>
              {props.kindLabel}
            </p>
            <h1 id="item-title" class="release-head__title" safe>
              {props.title}
            </h1>
            <p class="release-head__by">
              by{' '}
              <a href={props.creatorUrl} safe>
                {props.creatorName}
              </a>{' '}
              in{' '}
              <a href={props.projectUrl} safe>
                {props.projectTitle}
              </a>
            </p>
            <p class="release-head__price">
              <span class="visually-hidden">Price: </span>
              <span safe>{props.priceLabel}</span>
            </p>
            {props.action ? (
              <p class="release-head__action">
                <a
                  class={`button ${props.action.kind === 'owned' ? 'button--secondary' : 'button--primary'}`}
                  href={props.action.href}
                  safe
                >
                  {props.action.label}
                </a>
              </p>
            ) : (
              ''
            )}
            <AiBadge tier={props.aiTier} statement={props.aiStatement} />
            <Facts
              releaseDate={props.releaseDate}
              credits={props.credits}
              tags={props.tags}
              permalink={props.permalink}
            />
          </div>
        </header>
        {props.safeDescriptionHtml ? (
          <section class="catalog-section" aria-label="About">
            <Markdown safeHtml={props.safeDescriptionHtml} class="markdown--wide" />
          </section>
        ) : (
          ''
        )}
        {props.reading ? <Reading reading={props.reading} /> : ''}
        {props.media?.player ? (
          <Player
            player={props.media.player}
            title={props.title}
            chapters={props.chapters}
            forWhom={props.forWhom}
          />
        ) : (
          <Chapters chapters={props.chapters} />
        )}
        {props.media ? <Downloads media={props.media} /> : ''}
        {props.bundle ? (
          <section class="catalog-section" aria-labelledby="bundle-title">
            <h2 id="bundle-title" class="catalog-section__title">
              In this bundle
            </h2>
            <ItemGrid items={props.bundle} />
          </section>
        ) : (
          ''
        )}
        <Versions versions={props.versions} />
      </article>
    </div>
  );
}
