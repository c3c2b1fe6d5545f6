// The projects and items endpoints of API.md (under /api/v1).
import type { FastifyInstance } from 'fastify';
import { AppError, notFound } from '../../platform/errors.js';
import { RateLimiter } from '../../platform/http/rate-limit.js';
import { CATALOG_LIMITS } from './catalog.rate-limits.js';
import { toCreatorJson, toImageJson } from './catalog.responses.js';
import { uploadImage } from './images.service.js';
import {
  addVersion,
  changeVersion,
  getBundleContents,
  getChapters,
  getVersions,
  removeVersion,
  reorderItems,
  reorderProjects,
  setBundleContents,
  setChapters,
} from './item-extras.service.js';
import { findCreatorProfile, getOwnProfile, updateProfile } from './profile.service.js';
import { suggestTags } from './tags.repository.js';
import { principalOf, requireScope, requireUser } from '../../platform/http/auth.js';
import {
  bundleInputSchema,
  chaptersInputSchema,
  creatorParamsSchema,
  orderInputSchema,
  profileInputSchema,
  purposeQuerySchema,
  tagQuerySchema,
  versionInputSchema,
  versionParamsSchema,
  versionPatchSchema,
  createItemSchema,
  createProjectSchema,
  idParamsSchema,
  listQuerySchema,
  updateItemSchema,
  updateProjectSchema,
} from './catalog.schemas.js';
import {
  changeItem,
  createItem,
  getItem,
  listProjectItems,
  publishItem,
  removeItem,
} from './items.service.js';
import {
  changeProject,
  createProject,
  getProject,
  listMyProjects,
  removeProject,
  type CatalogDeps,
} from './projects.service.js';

export async function catalogApi(app: FastifyInstance, { deps }: { deps: CatalogDeps }) {
  const limiter = new RateLimiter(deps.db);

  // Reading is public; the policy hides drafts from everyone but their creator. Anonymous reads
  // (no cookie, no token) may be answered from the page cache, at most a second old.
  app.get('/projects/:id', { config: { pageCache: true } }, async (request) => {
    const { id } = idParamsSchema.parse(request.params);
    return { project: await getProject(deps, request.principal, id) };
  });

  app.get('/projects/:id/items', async (request) => {
    const { id } = idParamsSchema.parse(request.params);
    const query = listQuerySchema.parse(request.query);
    return listProjectItems(deps, request.principal, id, query);
  });

  app.get('/items/:id', { config: { pageCache: true } }, async (request) => {
    const { id } = idParamsSchema.parse(request.params);
    return { item: await getItem(deps, request.principal, id) };
  });

  app.get('/items/:id/versions', async (request) => {
    const { id } = idParamsSchema.parse(request.params);
    return { items: await getVersions(deps, request.principal, id) };
  });

  app.get('/items/:id/chapters', async (request) => {
    const { id } = idParamsSchema.parse(request.params);
    return { chapters: await getChapters(deps, request.principal, id) };
  });

  app.get('/items/:id/bundle', async (request) => {
    const { id } = idParamsSchema.parse(request.params);
    return { items: await getBundleContents(deps, request.principal, id) };
  });

  app.get('/creators/:handle', async (request) => {
    const { handle } = creatorParamsSchema.parse(request.params);
    const profile = await findCreatorProfile(deps.db, handle);
    if (!profile) throw notFound('creator');
    return { creator: toCreatorJson(profile, deps.config.publicUrl) };
  });

  app.get('/tags', async (request) => {
    const query = tagQuerySchema.parse(request.query);
    return { items: await suggestTags(deps.db, query.q, query.limit) };
  });

  await app.register(async (signedIn) => {
    signedIn.addHook('preHandler', requireUser);

    signedIn.get('/me/projects', async (request) => {
      const query = listQuerySchema.parse(request.query);
      return listMyProjects(deps, principalOf(request), query);
    });

    signedIn.get('/me/profile', async (request) => {
      const profile = await getOwnProfile(deps, principalOf(request));
      return { creator: toCreatorJson(profile, deps.config.publicUrl) };
    });
  });

  await app.register(async (writer) => {
    writer.addHook('preHandler', requireUser);
    writer.addHook('preHandler', requireScope('write'));

    writer.post('/projects', async (request, reply) => {
      const input = createProjectSchema.parse(request.body ?? {});
      const project = await createProject(deps, principalOf(request), input);
      return reply.status(201).send({ project });
    });

    writer.patch('/projects/:id', async (request) => {
      const { id } = idParamsSchema.parse(request.params);
      const input = updateProjectSchema.parse(request.body ?? {});
      return { project: await changeProject(deps, principalOf(request), id, input) };
    });

    writer.delete('/projects/:id', async (request, reply) => {
      const { id } = idParamsSchema.parse(request.params);
      await removeProject(deps, principalOf(request), id);
      return reply.status(204).send();
    });

    writer.post('/projects/:id/items', async (request, reply) => {
      const { id } = idParamsSchema.parse(request.params);
      const input = createItemSchema.parse(request.body ?? {});
      const item = await createItem(deps, principalOf(request), id, input);
      return reply.status(201).send({ item });
    });

    writer.patch('/items/:id', async (request) => {
      const { id } = idParamsSchema.parse(request.params);
      const input = updateItemSchema.parse(request.body ?? {});
      return { item: await changeItem(deps, principalOf(request), id, input) };
    });

    writer.delete('/items/:id', async (request, reply) => {
      const { id } = idParamsSchema.parse(request.params);
      await removeItem(deps, principalOf(request), id);
      return reply.status(204).send();
    });

    writer.post('/items/:id/publish', async (request) => {
      const { id } = idParamsSchema.parse(request.params);
      return { item: await publishItem(deps, principalOf(request), id) };
    });

    writer.patch('/me/profile', async (request) => {
      const input = profileInputSchema.parse(request.body ?? {});
      const profile = await updateProfile(deps, principalOf(request), input);
      return { creator: toCreatorJson(profile, deps.config.publicUrl) };
    });

    writer.post('/me/images', async (request, reply) => {
      const principal = principalOf(request);
      const { purpose } = purposeQuerySchema.parse(request.query);
      if (!request.isMultipart()) {
        throw new AppError(
          'UNSUPPORTED_MEDIA_TYPE',
          415,
          'Send the image as multipart/form-data in a field named file.',
        );
      }
      await limiter.enforce(reply, CATALOG_LIMITS.imageUploadsPerAccount, principal.user.id);
      const part = await request.file();
      if (part?.fieldname !== 'file') {
        throw new AppError('VALIDATION_FAILED', 422, 'Some fields are not valid.', {
          fields: { file: 'Choose an image to upload.' },
        });
      }
      const image = await uploadImage(deps, principal, purpose, part.file);
      return reply.status(201).send({ image: toImageJson(image, deps.config.publicUrl) });
    });

    writer.post('/items/:id/versions', async (request, reply) => {
      const { id } = idParamsSchema.parse(request.params);
      const input = versionInputSchema.parse(request.body ?? {});
      const version = await addVersion(deps, principalOf(request), id, input);
      return reply.status(201).send({ version });
    });

    writer.patch('/items/:id/versions/:versionId', async (request) => {
      const { id, versionId } = versionParamsSchema.parse(request.params);
      const input = versionPatchSchema.parse(request.body ?? {});
      return { version: await changeVersion(deps, principalOf(request), id, versionId, input) };
    });

    writer.delete('/items/:id/versions/:versionId', async (request, reply) => {
      const { id, versionId } = versionParamsSchema.parse(request.params);
      await removeVersion(deps, principalOf(request), id, versionId);
      return reply.status(204).send();
    });

    writer.put('/items/:id/chapters', async (request) => {
      const { id } = idParamsSchema.parse(request.params);
      const { chapters } = chaptersInputSchema.parse(request.body ?? {});
      return { chapters: await setChapters(deps, principalOf(request), id, chapters) };
    });

    writer.put('/items/:id/bundle', async (request) => {
      const { id } = idParamsSchema.parse(request.params);
      const { item_ids } = bundleInputSchema.parse(request.body ?? {});
      return { items: await setBundleContents(deps, principalOf(request), id, item_ids) };
    });

    writer.put('/projects/:id/items/order', async (request, reply) => {
      const { id } = idParamsSchema.parse(request.params);
      const { ids } = orderInputSchema.parse(request.body ?? {});
      await reorderItems(deps, principalOf(request), id, ids);
      return reply.status(204).send();
    });

    writer.put('/me/projects/order', async (request, reply) => {
      const { ids } = orderInputSchema.parse(request.body ?? {});
      await reorderProjects(deps, principalOf(request), ids);
      return reply.status(204).send();
    });
  });
}
