// The item editor's other sections: versions, chapters, bundle contents; and the tag
// typeahead's suggestions. htmx swaps each section on its own; a plain POST answers 303 to the
// editor, or the editor with the section's errors.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { FieldErrors } from '../../../platform/errors.js';
import { principalOf } from '../../../platform/http/auth.js';
import { render, wantsFragment } from '../../../platform/views/render.js';
import { versionInputSchema, versionPatchSchema } from '../catalog.schemas.js';
import {
  addVersion,
  changeVersion,
  listBundleContents,
  listChapters,
  listVersions,
  removeVersion,
  setBundleContents,
  setChapters,
} from '../item-extras.service.js';
import type { CatalogDeps } from '../projects.service.js';
import { suggestTags } from '../tags.repository.js';
import { formBody, formErrorsOf, many, one, parseTimestamp, splitTags } from './dashboard-forms.js';
import { idParam } from './dashboard-http.js';
import { bundleCandidates, loadOwnItem, sendItemEditor } from './item-editor-page.js';
import {
  BundleSection,
  ChaptersSection,
  VersionsSection,
  chapterRowsOf,
  type ChapterRow,
} from './views/item-extras.js';
import { TagSuggestions } from './views/tag-picker.js';
import { csrfOf } from '../../../platform/views/view-context.js';

const suggestQuery = z.object({ tags: z.string().max(600).catch('') }).catch({ tags: '' });

/** Chapter rows of the form; empty rows dropped, each bad cell an error under its row. */
function chaptersOf(body: ReturnType<typeof formBody>) {
  const starts = many(body, 'chapter_start');
  const titles = many(body, 'chapter_title');
  const rows: ChapterRow[] = [];
  const errors: FieldErrors = {};
  const chapters: { start_seconds: number; title: string }[] = [];
  starts.forEach((start, i) => {
    const title = titles[i] ?? '';
    if (start.trim() === '' && title.trim() === '') return;
    const index = rows.length;
    rows.push({ start, title });
    const seconds = parseTimestamp(start);
    if (seconds === undefined) errors[`chapter_start_${index}`] = 'Use minutes:seconds, like 3:05.';
    if (title.trim() === '') errors[`chapter_title_${index}`] = 'Name the chapter.';
    if (seconds !== undefined) chapters.push({ start_seconds: seconds, title: title.trim() });
  });
  return { rows, errors, chapters };
}

export async function itemExtrasRoutes(app: FastifyInstance, deps: CatalogDeps) {
  async function versionsSection(
    request: FastifyRequest,
    reply: FastifyReply,
    id: string,
    state: {
      values?: { version: string; changelog: string };
      errors?: FieldErrors;
      status?: number;
      editing?: {
        versionId: string;
        values: { version: string; changelog: string };
        errors: FieldErrors;
      };
    } = {},
  ) {
    return render(reply, {
      title: 'Versions',
      status: state.status,
      body: (
        <VersionsSection
          itemId={id}
          versions={await listVersions(deps.db, id)}
          csrfToken={csrfOf(request)}
          values={state.values}
          errors={state.editing ? undefined : state.errors}
          editing={state.editing}
          saved={state.errors === undefined}
        />
      ),
    });
  }

  app.post('/dashboard/items/:id/versions', async (request, reply) => {
    const id = idParam(request, 'item');
    const body = formBody(request.body);
    const values = { version: one(body, 'version'), changelog: one(body, 'changelog') };
    try {
      await addVersion(deps, principalOf(request), id, versionInputSchema.parse(values));
    } catch (error) {
      const invalid = formErrorsOf(error);
      if (!invalid) throw error;
      if (wantsFragment(request))
        return versionsSection(request, reply, id, { values, ...invalid });
      return sendItemEditor(deps, request, reply, id, {
        versions: { values, errors: invalid.errors },
        status: invalid.status,
      });
    }
    if (wantsFragment(request)) return versionsSection(request, reply, id);
    return reply.redirect(`/dashboard/items/${id}?done=versions_saved#versions`, 303);
  });

  app.post('/dashboard/items/:id/versions/:versionId', async (request, reply) => {
    const id = idParam(request, 'item');
    const versionId = idParam(request, 'version', 'versionId');
    const body = formBody(request.body);
    const values = { version: one(body, 'version'), changelog: one(body, 'changelog') };
    try {
      await changeVersion(
        deps,
        principalOf(request),
        id,
        versionId,
        versionPatchSchema.parse(values),
      );
    } catch (error) {
      const invalid = formErrorsOf(error);
      if (!invalid) throw error;
      return versionsSection(request, reply, id, {
        status: invalid.status,
        editing: { versionId, values, errors: invalid.errors },
      });
    }
    if (wantsFragment(request)) return versionsSection(request, reply, id);
    return reply.redirect(`/dashboard/items/${id}?done=versions_saved#versions`, 303);
  });

  app.post('/dashboard/items/:id/versions/:versionId/delete', async (request, reply) => {
    const id = idParam(request, 'item');
    const versionId = idParam(request, 'version', 'versionId');
    await removeVersion(deps, principalOf(request), id, versionId);
    if (wantsFragment(request)) return versionsSection(request, reply, id);
    return reply.redirect(`/dashboard/items/${id}?done=versions_saved#versions`, 303);
  });

  app.post('/dashboard/items/:id/chapters', async (request, reply) => {
    const id = idParam(request, 'item');
    const { rows, errors, chapters } = chaptersOf(formBody(request.body));
    let invalid = Object.keys(errors).length > 0 ? { status: 422, errors } : undefined;
    if (!invalid) {
      try {
        await setChapters(deps, principalOf(request), id, chapters);
      } catch (error) {
        invalid = formErrorsOf(error);
        if (!invalid) throw error;
      }
    }
    if (!invalid && !wantsFragment(request)) {
      return reply.redirect(`/dashboard/items/${id}?done=chapters_saved#chapters`, 303);
    }
    if (invalid && !wantsFragment(request)) {
      return sendItemEditor(deps, request, reply, id, {
        chapters: { rows, errors: invalid.errors },
        status: invalid.status,
      });
    }
    await loadOwnItem(deps, request, id);
    return render(reply, {
      title: 'Chapters',
      status: invalid?.status,
      body: (
        <ChaptersSection
          itemId={id}
          rows={invalid ? rows : chapterRowsOf(await listChapters(deps.db, id))}
          csrfToken={csrfOf(request)}
          errors={invalid?.errors}
          saved={!invalid}
        />
      ),
    });
  });

  app.post('/dashboard/items/:id/bundle', async (request, reply) => {
    const id = idParam(request, 'item');
    const chosen = many(formBody(request.body), 'item_ids');
    let error: string | undefined;
    let status: number | undefined;
    try {
      await setBundleContents(deps, principalOf(request), id, chosen);
    } catch (caught) {
      const invalid = formErrorsOf(caught);
      if (!invalid) throw caught;
      error = Object.values(invalid.errors)[0];
      status = invalid.status;
    }
    if (!wantsFragment(request)) {
      if (error === undefined) {
        return reply.redirect(`/dashboard/items/${id}?done=bundle_saved#bundle`, 303);
      }
      return sendItemEditor(deps, request, reply, id, {
        bundle: { chosen: new Set(chosen), error },
        status,
      });
    }
    const { item } = await loadOwnItem(deps, request, id);
    const contents = await listBundleContents(deps.db, id, { includeHidden: true });
    return render(reply, {
      title: 'Bundle contents',
      status,
      body: (
        <BundleSection
          itemId={id}
          candidates={await bundleCandidates(deps, request, item)}
          chosen={error === undefined ? new Set(contents.map((c) => c.id)) : new Set(chosen)}
          csrfToken={csrfOf(request)}
          error={error}
          saved={error === undefined}
        />
      ),
    });
  });

  // The typeahead sends the whole field (comma-separated without JavaScript's chips); the
  // suggestions are for the part after the last comma.
  app.get('/dashboard/tags/suggest', async (request, reply) => {
    const { tags } = suggestQuery.parse(request.query);
    const typed = tags.endsWith(',') ? '' : (splitTags(tags).at(-1) ?? '');
    const suggestions = typed === '' ? [] : await suggestTags(deps.db, typed, 8);
    reply.header('cache-control', 'private, no-store');
    return render(reply, { title: 'Tags', body: <TagSuggestions tags={suggestions} /> });
  });
}
