// The item editor's file actions: removing a file (asked first; refused with the reason when
// buyers may download it or when it is a published item's only ready file) and uploading a new
// version of one (an htmx multipart form: the file list comes back with what happened). The files
// module removes and uploads (deps.removeFile, deps.replaceFile); the rule about published items
// is the catalogue's.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { AppError, notFound } from '../../../platform/errors.js';
import { principalOf } from '../../../platform/http/auth.js';
import { render, wantsFragment } from '../../../platform/views/render.js';
import { csrfOf } from '../../../platform/views/view-context.js';
import type { CatalogDeps } from '../projects.service.js';
import { formBody, formatTimestamp, one, parseTimestamp, seeOther } from './dashboard-forms.js';
import { idParam } from './dashboard-http.js';
import { refuseLastReadyFile } from './file-changes.js';
import { loadOwnItem, sendItemEditor } from './item-editor-page.js';
import { ConfirmRemoveFilePage } from './views/confirm-pages.js';
import { FileList, type FileListMessage } from './views/files-section.js';

export async function itemFileRoutes(app: FastifyInstance, deps: CatalogDeps) {
  const { removeFile, replaceFile, previewClip } = deps;

  if (previewClip) {
    app.post('/dashboard/items/:id/preview', async (request, reply) => {
      const id = idParam(request, 'item');
      const { item } = await loadOwnItem(deps, request, id);
      const clip = await previewClip.read(item.id);
      if ((item.type !== 'audio' && item.type !== 'video') || !clip) throw notFound('preview');
      const value = one(formBody(request.body), 'preview_start').trim();
      const seconds = value === '' ? null : parseTimestamp(value);
      const error =
        seconds === undefined
          ? 'Use minutes and seconds (1:30) or seconds (90).'
          : seconds !== null && clip.durationMs !== null && seconds * 1000 >= clip.durationMs
            ? `That is past the end: the file is ${formatTimestamp(Math.round(clip.durationMs / 1000))} long.`
            : undefined;
      if (error !== undefined || seconds === undefined) {
        return sendItemEditor(deps, request, reply, id, {
          preview: { value, error: error ?? '' },
          status: 422,
        });
      }
      await previewClip.set(item.id, seconds === null ? null : seconds * 1000);
      return reply.redirect(`/dashboard/items/${item.id}?done=preview_saved#preview`, 303);
    });
  }

  /** The creator's item and one of its files (404 for anything else). */
  async function ownFile(request: FastifyRequest) {
    const { item } = await loadOwnItem(deps, request, idParam(request, 'item'));
    const fileId = idParam(request, 'file', 'fileId');
    const files = await deps.listFiles(item.id);
    const file = files.find((f) => f.id === fileId);
    if (!file) throw notFound('file');
    return { item, file, files };
  }

  async function confirm(request: FastifyRequest, reply: FastifyReply, refusal?: AppError) {
    const { item, file } = await ownFile(request);
    return render(reply, {
      title: `Remove ‘${file.name}’?`,
      status: refusal?.status,
      body: (
        <ConfirmRemoveFilePage
          itemId={item.id}
          fileId={file.id}
          name={file.name}
          csrfToken={csrfOf(request)}
          refusal={refusal?.message}
        />
      ),
    });
  }

  if (replaceFile) {
    app.post('/dashboard/items/:id/files/:fileId/replace', async (request, reply) => {
      const { item, file } = await ownFile(request);
      let message: FileListMessage = {
        tone: 'status',
        text: `New version of ‘${file.name}’ uploaded: it takes the old one’s place once it is processed.`,
      };
      let status = 200;
      try {
        await replaceFile(principalOf(request), item.id, file.id, {
          multipart: request.isMultipart(),
          declaredBytes: Number(request.headers['content-length'] ?? 0),
          readPart: (maxBytes) => request.file({ limits: { fileSize: maxBytes } }),
        });
      } catch (error) {
        if (!(error instanceof AppError) || error.status >= 500) throw error;
        message = { tone: 'problem', text: error.fields?.file ?? error.message };
        status = error.status;
      }
      if (!wantsFragment(request)) {
        return seeOther(request, reply, `/dashboard/items/${item.id}#files`);
      }
      return render(reply, {
        title: `Edit ${item.title}`,
        status,
        body: (
          <FileList
            itemId={item.id}
            files={await deps.listFiles(item.id)}
            removable={removeFile !== undefined}
            replaceable
            message={message}
          />
        ),
      });
    });
  }

  if (!removeFile) return;
  const remove = removeFile;

  app.get('/dashboard/items/:id/files/:fileId/remove', (request, reply) => confirm(request, reply));

  app.post('/dashboard/items/:id/files/:fileId/remove', async (request, reply) => {
    const { item, file, files } = await ownFile(request);
    const needed = refuseLastReadyFile(item, files, file.id);
    if (needed) return confirm(request, reply, needed);
    try {
      await remove(principalOf(request).user.id, item.id, file.id);
    } catch (error) {
      if (error instanceof AppError && error.code === 'FILE_SOLD') {
        return confirm(request, reply, error);
      }
      throw error;
    }
    return seeOther(request, reply, `/dashboard/items/${item.id}?done=file_removed#files`);
  });
}
