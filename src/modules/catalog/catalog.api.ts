// The projects and items endpoints of API.md (under /api/v1).
import type { FastifyInstance } from 'fastify';
import { principalOf, requireScope, requireUser } from '../../platform/http/auth.js';
import {
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
  // Reading is public; the policy hides drafts from everyone but their creator.
  app.get('/projects/:id', async (request) => {
    const { id } = idParamsSchema.parse(request.params);
    return { project: await getProject(deps, request.principal, id) };
  });

  app.get('/projects/:id/items', async (request) => {
    const { id } = idParamsSchema.parse(request.params);
    const query = listQuerySchema.parse(request.query);
    return listProjectItems(deps, request.principal, id, query);
  });

  app.get('/items/:id', async (request) => {
    const { id } = idParamsSchema.parse(request.params);
    return { item: await getItem(deps, request.principal, id) };
  });

  await app.register(async (signedIn) => {
    signedIn.addHook('preHandler', requireUser);

    signedIn.get('/me/projects', async (request) => {
      const query = listQuerySchema.parse(request.query);
      return listMyProjects(deps, principalOf(request), query);
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
  });
}
