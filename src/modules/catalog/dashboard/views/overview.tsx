// /dashboard and /dashboard/projects: the creator's projects in their order, each with its
// items. A row shows a thumbnail, the title, status, price and sales, one primary action and a
// "More" menu with the rest (row-menu.tsx). Rows reorder with the move buttons (forms htmx
// enhances: the list is swapped and the moved row's button keeps focus, its id being stable and
// autofocus covering a button that just became disabled at either end) or by dragging
// (dashboard.js saves the new order through the JSON API named in data-reorder).
import type { ItemJson, ProjectJson } from '../../catalog.responses.js';
import { EmptyState, LinkButton } from '../../../../platform/views/components.js';
import { DashboardFrame } from '../../../../platform/views/dashboard-frame.js';
import { RowMenu } from '../../../../platform/views/row-menu.js';
import { StatusBadge } from './dashboard-parts.js';
import { priceLabel, typeLabel } from './dashboard-labels.js';
import { OverviewPanels, type OverviewPanelsProps } from './overview-panels.js';
import {
  ItemThumbnail,
  MoveButtons,
  NO_ROW_FACTS,
  StatusForm,
  Thumbnail,
  pathOf,
  salesLabel,
  type Moved,
  type RowFacts,
} from './row-parts.js';

export { pathOf, type Moved, type RowFacts } from './row-parts.js';

export interface ProjectWithItems {
  project: ProjectJson;
  items: ItemJson[];
}

export interface OverviewProps {
  csrfToken: string;
  projects: ProjectWithItems[];
  facts?: RowFacts | undefined;
  flash?: string | undefined;
}

const quoted = (title: string) => `‘${title}’`;

function ItemRow(props: {
  item: ItemJson;
  index: number;
  count: number;
  projectCover: ProjectJson['cover'];
  listId: string;
  csrfToken: string;
  facts: RowFacts;
  moved: Moved | undefined;
}) {
  const { item } = props;
  const sales = salesLabel(item, props.facts.sales);
  return (
    <li class="item-row" id={`item-${item.id}`} data-id={item.id}>
      <ItemThumbnail item={item} projectCover={props.projectCover} facts={props.facts} />
      <div class="item-row__main">
        <h3 class="item-row__title">
          <a href={`/dashboard/items/${item.id}`} safe>
            {item.title}
          </a>
        </h3>
        <p class="item-row__meta">
          <span class="item-row__type" safe>
            {typeLabel(item.type)}
          </span>
          <StatusBadge status={item.status} />
          <span class="item-row__price" safe>
            {priceLabel(item.price)}
          </span>
          {sales ? (
            <span class="item-row__sales" safe>
              {sales}
            </span>
          ) : (
            ''
          )}
        </p>
      </div>
      <div class="item-row__actions">
        <MoveButtons
          kind="item"
          id={item.id}
          title={item.title}
          index={props.index}
          count={props.count}
          target={props.listId}
          csrfToken={props.csrfToken}
          moved={props.moved}
        />
        <a class="button button--secondary button--small" href={`/dashboard/items/${item.id}`}>
          Edit<span class="visually-hidden" safe>{` ${quoted(item.title)}`}</span>
        </a>
        <RowMenu id={`menu-item-${item.id}`} label={quoted(item.title)}>
          <li>
            <a class="row-menu__action" href={pathOf(item.url)}>
              {item.status === 'draft' ? 'Preview' : 'View'}
              <span class="visually-hidden" safe>{` ${quoted(item.title)}`}</span>
            </a>
          </li>
          <li>
            <StatusForm item={item} csrfToken={props.csrfToken} />
          </li>
          {item.type === 'software' ? (
            <li>
              <a class="row-menu__action" href={`/dashboard/items/${item.id}/licence`}>
                Licence keys<span class="visually-hidden" safe>{` of ${quoted(item.title)}`}</span>
              </a>
            </li>
          ) : (
            ''
          )}
          <li>
            <a
              class="row-menu__action row-menu__action--danger"
              href={`/dashboard/items/${item.id}/delete`}
            >
              Delete<span class="visually-hidden" safe>{` ${quoted(item.title)}`}</span>
            </a>
          </li>
        </RowMenu>
      </div>
    </li>
  );
}

export function ItemList(props: {
  projectId: string;
  projectCover?: ProjectJson['cover'];
  items: ItemJson[];
  csrfToken: string;
  facts?: RowFacts | undefined;
  moved?: Moved | undefined;
}): JSX.Element {
  const listId = `items-${props.projectId}`;
  if (props.items.length === 0) {
    return (
      <div class="item-list item-list--empty" id={listId}>
        <p>
          No items yet.{' '}
          <a href={`/dashboard/projects/${props.projectId}/items/new`}>Add the first one</a>.
        </p>
      </div>
    );
  }
  return (
    <ol
      class="item-list"
      id={listId}
      data-reorder={`/api/v1/projects/${props.projectId}/items/order`}
      aria-label="Items"
    >
      {props.items.map((item, index) => (
        <ItemRow
          item={item}
          index={index}
          count={props.items.length}
          projectCover={props.projectCover ?? null}
          listId={listId}
          csrfToken={props.csrfToken}
          facts={props.facts ?? NO_ROW_FACTS}
          moved={props.moved}
        />
      ))}
    </ol>
  );
}

function ProjectCard(props: {
  entry: ProjectWithItems;
  index: number;
  count: number;
  csrfToken: string;
  facts: RowFacts;
  moved: Moved | undefined;
}) {
  const { project, items } = props.entry;
  return (
    <li class="project-card" id={`project-${project.id}`} data-id={project.id}>
      <section aria-labelledby={`project-${project.id}-title`}>
        <header class="project-card__header">
          <Thumbnail cover={project.cover} class="project-card__cover" size={64} />
          <div class="project-card__heading">
            <h2 class="project-card__title" id={`project-${project.id}-title`}>
              <a href={`/dashboard/projects/${project.id}`} safe>
                {project.title}
              </a>
            </h2>
            <p class="project-card__path" safe>
              {pathOf(project.url)}
            </p>
          </div>
          <div class="project-card__actions">
            <MoveButtons
              kind="project"
              id={project.id}
              title={project.title}
              index={props.index}
              count={props.count}
              target="projects"
              csrfToken={props.csrfToken}
              moved={props.moved}
            />
            <a
              class="button button--primary button--small"
              href={`/dashboard/projects/${project.id}/items/new`}
            >
              New item<span class="visually-hidden" safe>{` in ${project.title}`}</span>
            </a>
            <RowMenu id={`menu-project-${project.id}`} label={quoted(project.title)}>
              <li>
                <a class="row-menu__action" href={`/dashboard/projects/${project.id}`}>
                  Edit details
                  <span class="visually-hidden" safe>{` of ${quoted(project.title)}`}</span>
                </a>
              </li>
              <li>
                <a class="row-menu__action" href={pathOf(project.url)}>
                  View page
                  <span class="visually-hidden" safe>{` of ${quoted(project.title)}`}</span>
                </a>
              </li>
              <li>
                <a class="row-menu__action" href={`/dashboard/projects/${project.id}/membership`}>
                  Membership
                  <span class="visually-hidden" safe>{` of ${quoted(project.title)}`}</span>
                </a>
              </li>
              <li>
                <a
                  class="row-menu__action row-menu__action--danger"
                  href={`/dashboard/projects/${project.id}/delete`}
                >
                  Delete<span class="visually-hidden" safe>{` ${quoted(project.title)}`}</span>
                </a>
              </li>
            </RowMenu>
          </div>
        </header>
        <ItemList
          projectId={project.id}
          projectCover={project.cover}
          items={items}
          csrfToken={props.csrfToken}
          facts={props.facts}
        />
      </section>
    </li>
  );
}

export function ProjectList(props: {
  projects: ProjectWithItems[];
  csrfToken: string;
  facts?: RowFacts | undefined;
  moved?: Moved | undefined;
}): JSX.Element {
  return (
    <ol
      class="project-list"
      id="projects"
      aria-label="Your projects"
      data-reorder="/api/v1/me/projects/order"
    >
      {props.projects.map((entry, index) => (
        <ProjectCard
          entry={entry}
          index={index}
          count={props.projects.length}
          csrfToken={props.csrfToken}
          facts={props.facts ?? NO_ROW_FACTS}
          moved={props.moved}
        />
      ))}
    </ol>
  );
}

/** The creator's projects with their items, or the way to the first one. */
export function ProjectsOrEmpty(props: {
  projects: ProjectWithItems[];
  csrfToken: string;
  facts?: RowFacts | undefined;
}) {
  return props.projects.length === 0 ? (
    <EmptyState
      title="No projects yet"
      level={2}
      action={<LinkButton href="/dashboard/projects/new">Create your first project</LinkButton>}
    >
      <p>
        A project holds related work: an album, a series, a plugin family. Create one, then add
        items to it.
      </p>
    </EmptyState>
  ) : (
    <>
      <p class="visually-hidden" role="status" id="reorder-status"></p>
      <ProjectList projects={props.projects} csrfToken={props.csrfToken} facts={props.facts} />
    </>
  );
}

export function OverviewPage(props: OverviewProps & { panels: OverviewPanelsProps }) {
  return (
    <DashboardFrame
      section="overview"
      title="Your dashboard"
      lead="Today’s numbers, what is left to set up, and your work in the order fans see it."
      flash={props.flash}
      actions={
        <>
          <LinkButton href="/dashboard/projects/new">New project</LinkButton>
          <LinkButton href={props.panels.publicPath} variant="secondary">
            View your page
          </LinkButton>
        </>
      }
    >
      <OverviewPanels {...props.panels} />
      <ProjectsOrEmpty projects={props.projects} csrfToken={props.csrfToken} facts={props.facts} />
    </DashboardFrame>
  );
}

/** /dashboard/projects: the projects alone, the overview's room for everything else. */
export function ProjectsPage(props: OverviewProps): JSX.Element {
  return (
    <DashboardFrame
      section="projects"
      title="Projects"
      lead="Your projects and everything in them, in the order fans see them."
      flash={props.flash}
      actions={<LinkButton href="/dashboard/projects/new">New project</LinkButton>}
    >
      <ProjectsOrEmpty projects={props.projects} csrfToken={props.csrfToken} facts={props.facts} />
    </DashboardFrame>
  );
}
