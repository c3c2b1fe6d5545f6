// /dashboard: the creator's projects in their order, each with its items, and the actions on
// each. The project list and each item list are fragments htmx swaps after a move; the moved
// row's button keeps focus (its id is stable, and autofocus covers a button that just became
// disabled at either end).
import type { ItemJson, ProjectJson } from '../../catalog.responses.js';
import { EmptyState, LinkButton } from '../../../../platform/views/components.js';
import { StatusBadge } from './dashboard-parts.js';
import { priceLabel, typeLabel } from './dashboard-labels.js';
import { CsrfField } from '../../../../platform/views/forms.js';
import { DashboardFrame } from '../../../../platform/views/dashboard-frame.js';

export interface ProjectWithItems {
  project: ProjectJson;
  items: ItemJson[];
}

export interface Moved {
  id: string;
  direction: 'up' | 'down';
}

export interface OverviewProps {
  csrfToken: string;
  projects: ProjectWithItems[];
  flash?: string | undefined;
}

/** Publicly readable path of an object; drafts render for their owner with a preview notice. */
export const pathOf = (url: string): string => new URL(url).pathname;

function MoveButtons(props: {
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
      <button
        type="submit"
        class="button button--ghost button--small"
        name="direction"
        value="up"
        id={`move-up-${props.id}`}
        disabled={atTop}
        autofocus={focusUp}
      >
        <span aria-hidden="true">↑</span> Move up
        <span class="visually-hidden" safe>{` ‘${props.title}’`}</span>
      </button>
      <button
        type="submit"
        class="button button--ghost button--small"
        name="direction"
        value="down"
        id={`move-down-${props.id}`}
        disabled={atBottom}
        autofocus={focusDown}
      >
        <span aria-hidden="true">↓</span> Move down
        <span class="visually-hidden" safe>{` ‘${props.title}’`}</span>
      </button>
    </form>
  );
}

function StatusForm(props: { item: ItemJson; csrfToken: string }) {
  const { item } = props;
  const publish = item.status === 'draft';
  const action = publish
    ? `/dashboard/items/${item.id}/publish`
    : `/dashboard/items/${item.id}/status`;
  return (
    <form method="post" action={action} class="inline-form">
      <CsrfField token={props.csrfToken} />
      {publish ? '' : <input type="hidden" name="status" value="draft" />}
      <button type="submit" class="button button--secondary button--small">
        {publish ? 'Publish' : 'Unpublish'}
        <span class="visually-hidden" safe>{` ‘${item.title}’`}</span>
      </button>
    </form>
  );
}

export function ItemList(props: {
  projectId: string;
  items: ItemJson[];
  csrfToken: string;
  moved?: Moved | undefined;
}): JSX.Element {
  const listId = `items-${props.projectId}`;
  if (props.items.length === 0) {
    return (
      <div class="item-list item-list--empty" id={listId}>
        <p>No items yet.</p>
      </div>
    );
  }
  return (
    <ol class="item-list" id={listId}>
      {props.items.map((item, index) => (
        <li class="item-row" id={`item-${item.id}`}>
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
            </p>
          </div>
          <div class="item-row__actions">
            <a class="button button--ghost button--small" href={`/dashboard/items/${item.id}`}>
              Edit<span class="visually-hidden" safe>{` ‘${item.title}’`}</span>
            </a>
            <a class="button button--ghost button--small" href={pathOf(item.url)}>
              {item.status === 'draft' ? 'Preview' : 'View'}
              <span class="visually-hidden" safe>{` ‘${item.title}’`}</span>
            </a>
            <StatusForm item={item} csrfToken={props.csrfToken} />
            <MoveButtons
              kind="item"
              id={item.id}
              title={item.title}
              index={index}
              count={props.items.length}
              target={listId}
              csrfToken={props.csrfToken}
              moved={props.moved}
            />
            <a
              class="button button--ghost button--small button--quiet-danger"
              href={`/dashboard/items/${item.id}/delete`}
            >
              Delete<span class="visually-hidden" safe>{` ‘${item.title}’`}</span>
            </a>
          </div>
        </li>
      ))}
    </ol>
  );
}

export function ProjectList(props: {
  projects: ProjectWithItems[];
  csrfToken: string;
  moved?: Moved | undefined;
}): JSX.Element {
  return (
    <ol class="project-list" id="projects" aria-label="Your projects">
      {props.projects.map(({ project, items }, index) => (
        <li class="project-card" id={`project-${project.id}`}>
          <section aria-labelledby={`project-${project.id}-title`}>
            <header class="project-card__header">
              {project.cover ? (
                <img
                  class="project-card__cover"
                  src={project.cover.url}
                  alt=""
                  width="64"
                  height="64"
                />
              ) : (
                <span class="project-card__cover project-card__cover--blank" aria-hidden="true" />
              )}
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
                <a
                  class="button button--primary button--small"
                  href={`/dashboard/projects/${project.id}/items/new`}
                >
                  New item<span class="visually-hidden" safe>{` in ${project.title}`}</span>
                </a>
                <a
                  class="button button--ghost button--small"
                  href={`/dashboard/projects/${project.id}`}
                >
                  Edit<span class="visually-hidden" safe>{` ‘${project.title}’`}</span>
                </a>
                <a class="button button--ghost button--small" href={pathOf(project.url)}>
                  View<span class="visually-hidden" safe>{` ‘${project.title}’`}</span>
                </a>
                <MoveButtons
                  kind="project"
                  id={project.id}
                  title={project.title}
                  index={index}
                  count={props.projects.length}
                  target="projects"
                  csrfToken={props.csrfToken}
                  moved={props.moved}
                />
                <a
                  class="button button--ghost button--small button--quiet-danger"
                  href={`/dashboard/projects/${project.id}/delete`}
                >
                  Delete<span class="visually-hidden" safe>{` ‘${project.title}’`}</span>
                </a>
              </div>
            </header>
            <ItemList projectId={project.id} items={items} csrfToken={props.csrfToken} />
          </section>
        </li>
      ))}
    </ol>
  );
}

/** The creator's projects with their items, or the way to the first one. */
export function ProjectsOrEmpty(props: { projects: ProjectWithItems[]; csrfToken: string }) {
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
    <ProjectList projects={props.projects} csrfToken={props.csrfToken} />
  );
}

export function OverviewPage(props: OverviewProps): JSX.Element {
  return (
    <DashboardFrame
      section="overview"
      title="Your dashboard"
      lead="Your projects and everything in them, in the order fans see them."
      flash={props.flash}
      actions={
        <>
          <LinkButton href="/dashboard/projects/new">New project</LinkButton>
          <LinkButton href="/dashboard/profile" variant="secondary">
            Edit profile
          </LinkButton>
        </>
      }
    >
      <ProjectsOrEmpty projects={props.projects} csrfToken={props.csrfToken} />
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
      <ProjectsOrEmpty projects={props.projects} csrfToken={props.csrfToken} />
    </DashboardFrame>
  );
}
