// GET /media/images/<id>/<size>.webp: public image renditions, streamed from object storage.
// The id is new for every upload, so the bytes behind a URL never change: a year of immutable
// caching, and a 304 for a matching ETag without touching storage.
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { notFound } from '../../platform/errors.js';
import type { ObjectStore } from '../../platform/storage/index.js';
import { IMAGE_PATH, imageObjectKey } from './images.service.js';

const paramsSchema = z.object({
  id: z.uuid(),
  file: z.string().regex(/^[0-9]{1,5}\.webp$/),
});

export async function imageRoutes(app: FastifyInstance, opts: { store: ObjectStore }) {
  app.get(`${IMAGE_PATH}/:id/:file`, async (request, reply) => {
    const parsed = paramsSchema.safeParse(request.params);
    if (!parsed.success) throw notFound('image');
    const { id, file } = parsed.data;
    const etag = `"${id}-${file}"`;
    const cacheable = () =>
      reply
        .header('cache-control', 'public, max-age=31536000, immutable')
        .header('etag', etag)
        .header('x-content-type-options', 'nosniff');
    if (request.headers['if-none-match'] === etag) return cacheable().code(304).send();
    // Errors (404, 503) leave before any caching header is set.
    const object = await opts.store.get(imageObjectKey(id, file.replace(/\.webp$/, '')));
    return cacheable()
      .header('content-type', 'image/webp')
      .header('content-length', object.size)
      .send(object.body);
  });
}
