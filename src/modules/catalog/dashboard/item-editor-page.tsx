// The item editor page, assembled from its sections. Each section's form may fail on its own;
// a plain (no-JS) POST re-renders the whole page with that section's input and errors.
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { FieldErrors } from '../../../platform/errors.js';
import { principalOf } from '../../../platform/http/auth.js';
import { render } from '../../../platform/views/render.js';
import type { ItemJson } from '../catalog.responses.js';
import {
  VERSIONED_TYPES,
  listBundleContents,
  listChapters,
  listVersions,
} from '../item-extras.service.js';
import { getItem } from '../items.service.js';
import { loadProject, type CatalogDeps } from '../projects.service.js';
import { coverOf, loadOverview, pickedImage } from './dashboard-data.js';
import { flashOf } from './dashboard-http.js';
import { itemValuesFrom, type ItemValues } from './item-form.js';
import { ConfirmDeletePage } from './views/confirm-pages.js';
import { typeLabel } from './views/dashboard-labels.js';
import { FilesSection } from './views/files-section.js';
import { PreviewSection, previewValueOf } from './views/preview-section.js';
import { ItemForm, StatusPanel } from './views/item-editor.js';
import {
  BundleSection,
  ChaptersSection,
  VersionsSection,
  chapterRowsOf,
  type ChapterRow,
} from './views/item-extras.js';
import { pathOf } from './views/overview.js';
import { DashboardFrame } from '../../../platform/views/dashboard-frame.js';
import { csrfOf } from '../../../platform/views/view-context.js';

/** An item the caller may edit (404 otherwise, even for someone else's published item). */
export async function loadOwnItem(deps: CatalogDeps, request: FastifyRequest, id: string) {
  const principal = principalOf(request);
  const item = await getItem(deps, principal, id);
  const project = await loadProject(deps.db, principal, 'project.edit', item.project_id);
  return { item, project };
}

export interface EditorState {
  form?: { values: ItemValues; errors: FieldErrors; status?: number };
  versions?: { values: { version: string; changelog: string }; errors: FieldErrors };
  chapters?: { rows: ChapterRow[]; errors: FieldErrors };
  bundle?: { chosen: ReadonlySet<string>; error: string | undefined };
  preview?: { value: string; error: string };
  status?: number;
}

export async function bundleCandidates(
  deps: CatalogDeps,
  request: FastifyRequest,
  item: ItemJson,
): Promise<ItemJson[]> {
  const all = (await loadOverview(deps, principalOf(request))).flatMap((p) => p.items);
  return all.filter((other) => other.id !== item.id && other.type !== 'bundle');
}

export async function sendItemEditor(
  deps: CatalogDeps,
  request: FastifyRequest,
  reply: FastifyReply,
  id: string,
  state: EditorState = {},
) {
  const { item, project } = await loadOwnItem(deps, request, id);
  const csrfToken = csrfOf(request);
  const form = state.form;
  const cover = form ? await pickedImage(deps, form.values.cover_image_id) : coverOf(item);
  const formSection = (
    <ItemForm
      itemId={item.id}
      values={form?.values ?? itemValuesFrom(item)}
      cover={cover}
      currency={item.price.currency}
      csrfToken={csrfToken}
      errors={form?.errors ?? {}}
      focusProblem={form !== undefined && Object.keys(form.errors).length > 0}
    />
  );
  const versioned = VERSIONED_TYPES.has(item.type);
  const versions = versioned ? await listVersions(deps.db, item.id) : [];
  const chapters = item.type === 'audio' ? await listChapters(deps.db, item.id) : [];
  const contents =
    item.type === 'bundle'
      ? await listBundleContents(deps.db, item.id, { includeHidden: true })
      : [];
  const candidates = item.type === 'bundle' ? await bundleCandidates(deps, request, item) : [];
  const files = await deps.listFiles(item.id);
  const clip =
    (item.type === 'audio' || item.type === 'video') && deps.previewClip
      ? await deps.previewClip.read(item.id)
      : undefined;
  return render(reply, {
    title: `Edit ${item.title}`,
    status: state.status,
    body: (
      <DashboardFrame
        section="projects"
        within
        title={item.title}
        lead={`${typeLabel(item.type)} in ${project.title}`}
        back={{ href: '/dashboard', label: 'Dashboard' }}
        flash={flashOf(request)}
      >
        <div class="editor-layout">
          <div class="editor-layout__main">
            {formSection}
            <FilesSection
              itemId={item.id}
              files={files}
              removable={deps.removeFile !== undefined}
              replaceable={deps.replaceFile !== undefined}
            />
            {versioned ? (
              <VersionsSection
                itemId={item.id}
                versions={versions}
                csrfToken={csrfToken}
                values={state.versions?.values}
                errors={state.versions?.errors}
              />
            ) : (
              ''
            )}
            {clip && (item.type === 'audio' || item.type === 'video') ? (
              <PreviewSection
                itemId={item.id}
                kind={item.type}
                value={state.preview?.value ?? previewValueOf(clip.startMs)}
                durationMs={clip.durationMs}
                error={state.preview?.error}
                csrfToken={csrfToken}
              />
            ) : (
              ''
            )}
            {item.type === 'audio' ? (
              <ChaptersSection
                itemId={item.id}
                rows={state.chapters?.rows ?? chapterRowsOf(chapters)}
                csrfToken={csrfToken}
                errors={state.chapters?.errors}
              />
            ) : (
              ''
            )}
            {item.type === 'bundle' ? (
              <BundleSection
                itemId={item.id}
                candidates={candidates}
                chosen={state.bundle?.chosen ?? new Set(contents.map((c) => c.id))}
                csrfToken={csrfToken}
                error={state.bundle?.error}
              />
            ) : (
              ''
            )}
          </div>
          <aside class="editor-layout__side" aria-label="Status and actions">
            <StatusPanel
              itemId={item.id}
              title={item.title}
              status={item.status}
              previewHref={pathOf(item.url)}
              permalink={item.permalink}
              csrfToken={csrfToken}
            />
            {item.type === 'software' ? (
              <section class="dashboard-card" aria-labelledby="licence-title">
                <h2 id="licence-title">Licence keys</h2>
                <p>
                  Each buyer gets a key. Choose how many machines it unlocks; see the keys issued.
                </p>
                <a
                  class="button button--secondary button--small"
                  href={`/dashboard/items/${item.id}/licence`}
                >
                  Licence keys
                </a>
              </section>
            ) : (
              ''
            )}
            <section class="dashboard-card dashboard-card--danger" aria-labelledby="delete-title">
              <h2 id="delete-title">Delete</h2>
              <a
                class="button button--danger button--small"
                href={`/dashboard/items/${item.id}/delete`}
              >
                Delete item…
              </a>
            </section>
          </aside>
        </div>
      </DashboardFrame>
    ),
  });
}

/** Just the details form, for htmx (422 with errors, or 200 with the saved notice). */
export async function sendItemForm(
  deps: CatalogDeps,
  request: FastifyRequest,
  reply: FastifyReply,
  id: string,
  form?: { values: ItemValues; errors: FieldErrors; status: number },
) {
  const { item } = await loadOwnItem(deps, request, id);
  const values = form?.values ?? itemValuesFrom(item);
  return render(reply, {
    title: `Edit ${item.title}`,
    status: form?.status,
    body: (
      <ItemForm
        itemId={item.id}
        values={values}
        cover={form ? await pickedImage(deps, form.values.cover_image_id) : coverOf(item)}
        currency={item.price.currency}
        csrfToken={csrfOf(request)}
        errors={form?.errors ?? {}}
        saved={form === undefined}
        focusProblem={form !== undefined}
      />
    ),
  });
}

export async function sendItemDeleteConfirmation(
  deps: CatalogDeps,
  request: FastifyRequest,
  reply: FastifyReply,
  id: string,
) {
  const { item } = await loadOwnItem(deps, request, id);
  return render(reply, {
    title: `Delete ‘${item.title}’?`,
    body: (
      <ConfirmDeletePage
        kind="item"
        title={item.title}
        action={`/dashboard/items/${item.id}/delete`}
        cancelHref={`/dashboard/items/${item.id}`}
        csrfToken={csrfOf(request)}
      />
    ),
  });
}
