// What the dashboard pages read, through the catalogue's services: every project of the
// creator, their items (one query for all), every item of a project, and image previews.
import type { Principal } from '../../../platform/http/auth.js';
import type { ItemJson, ProjectJson } from '../catalog.responses.js';
import { findImageRef } from '../images.service.js';
import { listAllMyItems, listProjectItems } from '../items.service.js';
import { listMyProjects, type CatalogDeps } from '../projects.service.js';
import type { PickedImage } from './views/image-picker.js';
import type { ProjectWithItems } from './views/overview.js';

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
