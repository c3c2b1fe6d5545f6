// /@handle/<project>: the project's cover, description and its published items in order.
import { ItemGrid, type ItemCardData } from '../../../platform/views/cards.js';
import { EmptyState } from '../../../platform/views/components.js';
import type { ImageRef } from '../images.service.js';
import { Breadcrumbs, LargeCover, Markdown, MorePager, OwnerEdit } from './parts.js';
import { TipForm, type TipFormProps } from './tip-form.js';
import { TipThanks, type TipThanksProps } from './tip-thanks.js';

export interface ProjectPageProps {
  /** the project's editor, for its creator only */
  editHref?: string | undefined;
  title: string;
  cover: ImageRef | undefined;
  safeDescriptionHtml: string;
  creatorName: string;
  creatorUrl: string;
  items: readonly ItemCardData[];
  /** the next page of items, when there is one */
  moreHref: string | undefined;
  /** a later page (?cursor=): the header is shortened to a link back to the start */
  continued: boolean;
  /** the tip form, when the creator takes tips */
  tip?: TipFormProps | undefined;
  /** the project's membership page, when it has tiers open to join */
  membershipUrl?: string | undefined;
  /** the thanks for a tip this visitor just paid */
  tipThanks?: TipThanksProps | undefined;
}

/** The items and the pager: the whole answer to the pager's htmx request. */
export function ProjectItems(props: Pick<ProjectPageProps, 'items' | 'moreHref'>): JSX.Element {
  return (
    <>
      <ItemGrid items={props.items} />
      <MorePager href={props.moreHref} />
    </>
  );
}

export function ProjectPage(props: ProjectPageProps): JSX.Element {
  return (
    <div class="wrap catalog-page">
      <Breadcrumbs
        crumbs={[{ label: props.creatorName, href: props.creatorUrl }, { label: props.title }]}
      />
      {props.tipThanks ? <TipThanks {...props.tipThanks} /> : ''}
      {props.editHref ? <OwnerEdit href={props.editHref} what="project" /> : ''}
      <header class="release-head">
        <LargeCover image={props.cover} title={props.title} />
        <div class="release-head__text">
          <p class="eyebrow">Project</p>
          <h1 class="release-head__title" safe>
            {props.title}
          </h1>
          <p class="release-head__by">
            by{' '}
            <a href={props.creatorUrl} safe>
              {props.creatorName}
            </a>
          </p>
          {props.safeDescriptionHtml && !props.continued ? (
            <Markdown safeHtml={props.safeDescriptionHtml} />
          ) : (
            ''
          )}
          {props.membershipUrl && !props.continued ? (
            <p class="release-head__membership">
              <a href={props.membershipUrl}>Membership</a>
            </p>
          ) : (
            ''
          )}
          {props.tip && !props.continued ? <TipForm {...props.tip} /> : ''}
        </div>
      </header>
      <section class="catalog-section" aria-labelledby="items-title">
        <h2 id="items-title" class="catalog-section__title">
          Releases
        </h2>
        {props.items.length > 0 ? (
          <div class="feed">
            <ProjectItems items={props.items} moreHref={props.moreHref} />
          </div>
        ) : (
          <EmptyState title="Nothing released here yet" />
        )}
      </section>
    </div>
  );
}
