// /@handle: who the creator is (avatar, name, bio, links), their projects and newest releases.
import {
  ItemGrid,
  ProjectGrid,
  type ItemCardData,
  type ProjectCardData,
} from '../../../platform/views/cards.js';
import { EmptyState } from '../../../platform/views/components.js';
import type { ImageRef } from '../images.service.js';
import type { ProfileLink } from '../../../db/schema.js';
import { Markdown, OwnerEdit } from './parts.js';
import { TipForm, type TipFormProps } from './tip-form.js';
import { TipThanks, type TipThanksProps } from './tip-thanks.js';

export interface CreatorPageProps {
  /** the profile editor, for the creator themselves only */
  editHref?: string | undefined;
  handle: string;
  displayName: string;
  avatar: ImageRef | undefined;
  /** the bio, already rendered by renderMarkdown */
  safeBioHtml: string;
  links: readonly ProfileLink[];
  tipsEnabled: boolean;
  /** the tip form, when tips are on */
  tip?: TipFormProps | undefined;
  /** the thanks for a tip this visitor just paid */
  tipThanks?: TipThanksProps | undefined;
  projects: readonly ProjectCardData[];
  latest: readonly ItemCardData[];
}

/** Links were checked as http(s) when saved; checked again so no other scheme ever renders. */
const isWebUrl = (url: string) => /^https?:\/\//i.test(url) && URL.canParse(url);

const labelOf = (link: ProfileLink) => link.label.trim() || new URL(link.url).hostname;

function Avatar(props: { avatar: ImageRef | undefined; name: string }) {
  if (!props.avatar) {
    return (
      <div class="profile__avatar profile__avatar--blank" aria-hidden="true" safe>
        {Array.from(props.name.trim())[0]?.toUpperCase() ?? '?'}
      </div>
    );
  }
  return (
    <img
      class="profile__avatar"
      src={props.avatar.src}
      srcset={props.avatar.srcset}
      sizes="(min-width: 40rem) 9rem, 6rem"
      width={props.avatar.width}
      height={props.avatar.height}
      alt=""
    />
  );
}

function ProfileLinks(props: { links: readonly ProfileLink[] }) {
  const links = props.links.filter((link) => isWebUrl(link.url));
  if (links.length === 0) return <></>;
  return (
    <ul class="profile__links" role="list" aria-label="Links">
      {links.map((link) => (
        <li>
          <a href={link.url} rel="nofollow ugc noopener me" safe>
            {labelOf(link)}
          </a>
        </li>
      ))}
    </ul>
  );
}

export function CreatorPage(props: CreatorPageProps): JSX.Element {
  return (
    <div class="wrap catalog-page">
      {props.tipThanks ? <TipThanks {...props.tipThanks} /> : ''}
      {props.editHref ? <OwnerEdit href={props.editHref} what="page" /> : ''}
      <header class="profile">
        <Avatar avatar={props.avatar} name={props.displayName} />
        <div class="profile__text">
          <h1 class="profile__name" safe>
            {props.displayName}
          </h1>
          <p class="profile__handle" safe>
            {`@${props.handle}`}
          </p>
          {props.safeBioHtml ? <Markdown safeHtml={props.safeBioHtml} class="profile__bio" /> : ''}
          <ProfileLinks links={props.links} />
          {props.tipsEnabled ? (
            <p class="profile__tip">
              <span class="tip-badge">Tips welcome</span>
            </p>
          ) : (
            ''
          )}
          {props.tipsEnabled && props.tip ? <TipForm {...props.tip} /> : ''}
        </div>
      </header>

      <section class="catalog-section" aria-labelledby="projects-title">
        <h2 id="projects-title" class="catalog-section__title">
          Projects
        </h2>
        {props.projects.length > 0 ? (
          <ProjectGrid projects={props.projects} />
        ) : (
          <EmptyState title="No projects yet" />
        )}
      </section>

      <section class="catalog-section" aria-labelledby="latest-title">
        <h2 id="latest-title" class="catalog-section__title">
          Latest releases
        </h2>
        {props.latest.length > 0 ? (
          <ItemGrid items={props.latest} />
        ) : (
          <EmptyState title="Nothing released yet" />
        )}
      </section>
    </div>
  );
}
