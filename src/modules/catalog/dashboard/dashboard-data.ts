// What the dashboard pages read, through the catalogue's services: every project of the
// creator, their items (one query for all), every item of a project, and image previews; for
// the overview also the profile and, through the callbacks the app passes in, the numbers,
// the payout account and the videos' posters.
import type { Principal } from '../../../platform/http/auth.js';
import type { ItemJson, ProjectJson } from '../catalog.responses.js';
import { findImageRef } from '../images.service.js';
import { listAllMyItems, listProjectItems } from '../items.service.js';
import { listMyProjects, type CatalogDeps } from '../projects.service.js';
import { getOwnProfile, type CreatorProfile } from '../profile.service.js';
import type { PickedImage } from './views/image-picker.js';
import type { ProjectWithItems, RowFacts } from './views/overview.js';
import type { ChecklistStep, OverviewPanelsProps } from './views/overview-panels.js';

const PAGE = 100;
/** a creator with more than this is paged by the API; the dashboard shows the first ones */
const MAX_PAGES = 20;

export async function allMyProjects(deps: CatalogDeps, principal: Principal) {
  const projects: ProjectJson[] = [];
  let cursor: string | undefined;
  for (let page = 0; page < MAX_PAGES; page++) {
    const result = await listMyProjects(deps, principal, { limit: PAGE, cursor });
    projects.push(...result.items);
    if (!result.next_cursor) break;
    cursor = result.next_cursor;
  }
  return projects;
}

export async function allProjectItems(deps: CatalogDeps, principal: Principal, projectId: string) {
  const items: ItemJson[] = [];
  let cursor: string | undefined;
  for (let page = 0; page < MAX_PAGES; page++) {
    const result = await listProjectItems(deps, principal, projectId, { limit: PAGE, cursor });
    items.push(...result.items);
    if (!result.next_cursor) break;
    cursor = result.next_cursor;
  }
  return items;
}

export async function loadOverview(
  deps: CatalogDeps,
  principal: Principal,
): Promise<ProjectWithItems[]> {
  const [projects, items] = await Promise.all([
    allMyProjects(deps, principal),
    listAllMyItems(deps, principal),
  ]);
  return projects.map((project) => ({
    project,
    items: items.filter((item) => item.project_id === project.id),
  }));
}

/** A preview of an image id a form carries; none for ids that are not images. */
export async function pickedImage(
  deps: CatalogDeps,
  id: string | undefined,
): Promise<PickedImage | undefined> {
  if (!id || !/^[0-9a-f-]{36}$/i.test(id)) return undefined;
  const ref = await findImageRef(deps.db, id);
  return ref && { id: ref.id, src: ref.src };
}

/** The picked image of an object's JSON cover. */
export function coverOf(json: { cover: { id: string; url: string } | null }) {
  return json.cover ? { id: json.cover.id, src: new URL(json.cover.url).pathname } : undefined;
}

/** What the rows show beyond the catalogue: each item's sales and the videos' posters. */
export async function loadRowFacts(
  deps: CatalogDeps,
  principal: Principal,
  items: readonly ItemJson[],
): Promise<RowFacts> {
  const [numbers, posters] = await Promise.all([
    deps.creatorNumbers?.(principal.user.id),
    deps.posters(items.filter((item) => item.type === 'video').map((item) => item.id)),
  ]);
  return { sales: numbers?.salesByItem, posters };
}

/** The setup steps: profile, payouts (when payouts tell us), a first published item, a plan. */
function checklistOf(
  profile: CreatorProfile,
  payout: { ready: boolean } | null | undefined,
  projects: readonly ProjectWithItems[],
): ChecklistStep[] {
  const items = projects.flatMap((p) => p.items);
  const draft = items.find((item) => item.status === 'draft');
  const [firstProject] = projects;
  const steps: ChecklistStep[] = [
    {
      key: 'profile',
      label: 'Add a picture and a short bio',
      hint: 'Fans see them on your page and beside everything you sell.',
      done: profile.avatar !== undefined && profile.bio.trim() !== '',
      href: '/dashboard/profile',
    },
  ];
  if (payout !== undefined) {
    steps.push({
      key: 'payouts',
      label: 'Set up payouts',
      hint: payout
        ? 'The payment provider still needs a few details before it can pay you.'
        : 'Connect an account so your earnings can reach you.',
      done: payout?.ready === true,
      href: '/dashboard/payouts/account',
    });
  }
  const published = items.some((item) => item.status !== 'draft');
  steps.push(
    {
      key: 'first-item',
      label: 'Publish your first item',
      hint: published
        ? 'Fans can find your work and buy it.'
        : draft
          ? `‘${draft.title}’ is a draft: finish it and publish it.`
          : 'Create a project, add an item to it and publish it.',
      done: published,
      href: draft
        ? `/dashboard/items/${draft.id}`
        : firstProject
          ? `/dashboard/projects/${firstProject.project.id}/items/new`
          : '/dashboard/projects/new',
    },
    {
      key: 'plan',
      label: 'Choose a plan',
      hint: 'Plans are not available yet.',
      done: false,
    },
  );
  return steps;
}

/** Everything /dashboard shows. */
export async function loadOverviewPage(deps: CatalogDeps, principal: Principal) {
  const [projects, profile, numbers, payout] = await Promise.all([
    loadOverview(deps, principal),
    getOwnProfile(deps, principal),
    deps.creatorNumbers?.(principal.user.id),
    deps.payoutAccount?.(principal.user.id),
  ]);
  const videos = projects.flatMap((p) => p.items).filter((item) => item.type === 'video');
  const posters = await deps.posters(videos.map((item) => item.id));
  const panels: OverviewPanelsProps = {
    publicPath: `/@${encodeURIComponent(profile.handle)}`,
    currency: profile.currency,
    numbers,
    checklist: checklistOf(profile, deps.payoutAccount ? payout : undefined, projects),
  };
  return { projects, facts: { sales: numbers?.salesByItem, posters }, panels };
}
