// Pieces the public pages share: breadcrumbs, a large cover, rendered markdown, the "More" pager.
import type { ImageRef } from '../images.service.js';

export interface Crumb {
  label: string;
  /** the current page has none */
  href?: string | undefined;
}

export function Breadcrumbs(props: { crumbs: readonly Crumb[] }): JSX.Element {
  return (
    <nav class="breadcrumbs" aria-label="Breadcrumb">
      <ol role="list">
        {props.crumbs.map((crumb) => (
          <li>
            {crumb.href ? (
              <a href={crumb.href} safe>
                {crumb.label}
              </a>
            ) : (
              <span aria-current="page" safe>
                {crumb.label}
              </span>
            )}
          </li>
        ))}
      </ol>
    </nav>
  );
}

/** The big square cover of a project or item page; a tinted initial when there is none. */
export function LargeCover(props: { image: ImageRef | undefined; title: string }): JSX.Element {
  const { image } = props;
  if (!image) {
    return (
      <div class="large-cover large-cover--blank" aria-hidden="true" safe>
        {Array.from(props.title.trim())[0]?.toUpperCase() ?? '?'}
      </div>
    );
  }
  return (
    <img
      class="large-cover"
      src={image.src}
      srcset={image.srcset}
      sizes="(min-width: 56rem) 26rem, calc(100vw - 2rem)"
      width={image.width}
      height={image.height}
      alt={`Cover of ${props.title}`}
      fetchpriority="high"
    />
  );
}

/**
 * Markdown already rendered and sanitised by renderMarkdown. The prop's name says so: only
 * pass the output of renderMarkdown here.
 */
export function Markdown(props: { safeHtml: string; class?: string }): JSX.Element {
  const safeHtml = props.safeHtml;
  return <div class={props.class ? `markdown ${props.class}` : 'markdown'}>{safeHtml}</div>;
}

/**
 * A plain link to the next page that htmx turns into "append here": the answer to its request
 * is the next grid and the next pager, which replace this pager.
 */
export function MorePager(props: { href: string | undefined; label?: string }): JSX.Element {
  if (!props.href) return <></>;
  return (
    <p class="feed-more">
      <a
        class="button button--secondary"
        href={props.href}
        hx-get={props.href}
        hx-target="closest .feed-more"
        hx-swap="outerHTML"
        safe
      >
        {props.label ?? 'More'}
      </a>
    </p>
  );
}

/**
 * What a creator sees on their own public pages: the way to edit what they are looking at.
 * Only signed-in creators get it, so the page cache (anonymous visitors only) never stores it.
 */
export function OwnerEdit(props: { href: string; what: string }): JSX.Element {
  return (
    <p class="owner-edit">
      <span class="owner-edit__label" safe>{`Your ${props.what}`}</span>
      <a class="button button--secondary button--small" href={props.href}>
        Edit<span class="visually-hidden" safe>{` your ${props.what}`}</span>
      </a>
    </p>
  );
}
