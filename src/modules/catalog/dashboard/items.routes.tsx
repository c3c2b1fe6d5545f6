// Item pages of the dashboard: the editor's details form, publishing and unpublishing, moving
// within the project and deleting (the wizard is in item-wizard.routes.tsx).
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { AppError } from '../../../platform/errors.js';
import { principalOf } from '../../../platform/http/auth.js';
import { render, wantsFragment } from '../../../platform/views/render.js';
import { updateItemSchema } from '../catalog.schemas.js';
import { reorderItems } from '../item-extras.service.js';
import { changeItem, publishItem, removeItem } from '../items.service.js';
import { getProject, type CatalogDeps } from '../projects.service.js';
import { allProjectItems, loadRowFacts } from './dashboard-data.js';
import { formBody, formErrorsOf, seeOther } from './dashboard-forms.js';
import { directionSchema, idParam, moveId } from './dashboard-http.js';
import {
  loadOwnItem,
  sendItemDeleteConfirmation,
  sendItemEditor,
  sendItemForm,
} from './item-editor-page.js';
import { ITEM_ERROR_NAMES, checkItemValues, itemValuesOf } from './item-form.js';
import { PublishProblemsPage } from './views/confirm-pages.js';
import { FileList } from './views/files-section.js';
import { ItemList } from './views/overview.js';
import { csrfOf } from '../../../platform/views/view-context.js';

const statusSchema = z.object({
  status: z.enum(['draft', 'unlisted']),
  return_to: z.enum(['item', 'dashboard']).catch('dashboard'),
});
const returnSchema = z.object({ return_to: z.enum(['item', 'dashboard']).catch('dashboard') });

export async function itemRoutes(app: FastifyInstance, deps: CatalogDeps) {
  app.get('/dashboard/items/:id', (request, reply) =>
    sendItemEditor(deps, request, reply, idParam(request, 'item')),
  );

  // The file list alone, fetched again when a file's status changes.
  app.get('/dashboard/items/:id/files', async (request, reply) => {
    const { item } = await loadOwnItem(deps, request, idParam(request, 'item'));
    const files = await deps.listFiles(item.id);
    return reply
      .header('cache-control', 'no-store')
      .type('text/html; charset=utf-8')
      .send(
        await (
          <FileList
            itemId={item.id}
            files={files}
            removable={deps.removeFile !== undefined}
            replaceable={deps.replaceFile !== undefined}
          />
        ),
      );
  });

  app.post('/dashboard/items/:id', async (request, reply) => {
    const id = idParam(request, 'item');
    const { item } = await loadOwnItem(deps, request, id);
    const values = { ...itemValuesOf(formBody(request.body)), type: item.type };
    const checked = checkItemValues(values, item.price.currency);
    let invalid =
      Object.keys(checked.errors).length > 0 ? { status: 422, errors: checked.errors } : undefined;
    if (!invalid && checked.input) {
      const { input } = checked;
      try {
        const patch = updateItemSchema.parse({
          title: input.title,
          description: input.description,
          ...(item.type === 'text' && { body: input.body }),
          price: input.price,
          ai_disclosure: input.ai_disclosure ?? null,
          tags: input.tags,
          cover_image_id: values.cover_image_id || null,
        });
        await changeItem(deps, principalOf(request), id, patch);
      } catch (error) {
        invalid = formErrorsOf(error, ITEM_ERROR_NAMES);
        if (!invalid) throw error;
      }
    }
    if (invalid) {
      const form = { values, ...invalid };
      if (wantsFragment(request)) return sendItemForm(deps, request, reply, id, form);
      return sendItemEditor(deps, request, reply, id, { form, status: invalid.status });
    }
    if (wantsFragment(request)) return sendItemForm(deps, request, reply, id);
    return reply.redirect(`/dashboard/items/${id}?done=item_saved`, 303);
  });

  async function publishProblems(
    request: FastifyRequest,
    reply: FastifyReply,
    id: string,
    target: 'published' | 'unlisted',
    error: AppError,
  ) {
    const { item } = await loadOwnItem(deps, request, id);
    return render(reply, {
      title: 'Not ready to publish yet',
      status: error.status,
      body: (
        <PublishProblemsPage
          itemId={item.id}
          title={item.title}
          target={target}
          unmet={error.fields ?? { [error.code]: error.message }}
        />
      ),
    });
  }

  const afterStatus = (returnTo: 'item' | 'dashboard', id: string, done: string) =>
    returnTo === 'item'
      ? `/dashboard/items/${id}?done=${done}`
      : `/dashboard?done=${done}#item-${id}`;

  app.post('/dashboard/items/:id/publish', async (request, reply) => {
    const id = idParam(request, 'item');
    const { return_to } = returnSchema.parse(request.body ?? {});
    try {
      await publishItem(deps, principalOf(request), id);
    } catch (error) {
      if (error instanceof AppError && error.status === 422) {
        return publishProblems(request, reply, id, 'published', error);
      }
      throw error;
    }
    return seeOther(request, reply, afterStatus(return_to, id, 'item_published'));
  });

  app.post('/dashboard/items/:id/status', async (request, reply) => {
    const id = idParam(request, 'item');
    const { status, return_to } = statusSchema.parse(request.body);
    try {
      await changeItem(deps, principalOf(request), id, { status });
    } catch (error) {
      if (error instanceof AppError && error.status === 422) {
        return publishProblems(request, reply, id, 'unlisted', error);
      }
      throw error;
    }
    const done = status === 'draft' ? 'item_unpublished' : 'item_unlisted';
    return seeOther(request, reply, afterStatus(return_to, id, done));
  });

  app.get('/dashboard/items/:id/delete', (request, reply) =>
    sendItemDeleteConfirmation(deps, request, reply, idParam(request, 'item')),
  );

  app.post('/dashboard/items/:id/delete', async (request, reply) => {
    const id = idParam(request, 'item');
    await loadOwnItem(deps, request, id);
    await removeItem(deps, principalOf(request), id);
    return seeOther(request, reply, '/dashboard?done=item_deleted');
  });

  app.post('/dashboard/items/:id/move', async (request, reply) => {
    const id = idParam(request, 'item');
    const principal = principalOf(request);
    const { item, project } = await loadOwnItem(deps, request, id);
    const { direction } = directionSchema.parse(request.body);
    const ids = (await allProjectItems(deps, principal, project.id)).map((i) => i.id);
    await reorderItems(deps, principal, project.id, moveId(ids, item.id, direction));
    if (!wantsFragment(request)) return reply.redirect(`/dashboard#item-${id}`, 303);
    const items = await allProjectItems(deps, principal, project.id);
    const projectJson = await getProject(deps, principal, project.id);
    return render(reply, {
      title: 'Your dashboard',
      body: (
        <ItemList
          projectId={project.id}
          projectCover={projectJson.cover}
          items={items}
          csrfToken={csrfOf(request)}
          facts={await loadRowFacts(deps, principal, items)}
          moved={{ id, direction }}
        />
      ),
    });
  });
}
