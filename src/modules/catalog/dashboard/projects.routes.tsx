// Project pages of the dashboard: the editor, moving and deleting (the wizard is in
// project-wizard.routes.tsx).
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { FieldErrors } from '../../../platform/errors.js';
import { AppError } from '../../../platform/errors.js';
import { principalOf } from '../../../platform/http/auth.js';
import { render, wantsFragment } from '../../../platform/views/render.js';
import { updateProjectSchema } from '../catalog.schemas.js';
import { reorderProjects } from '../item-extras.service.js';
import {
  getProject,
  loadProject,
  removeProject,
  changeProject,
  type CatalogDeps,
} from '../projects.service.js';
import {
  allMyProjects,
  coverOf,
  loadOverview,
  loadRowFacts,
  pickedImage,
} from './dashboard-data.js';
import { formBody, formErrorsOf, one, seeOther, valuesOf } from './dashboard-forms.js';
import { directionSchema, flashOf, idParam, moveId } from './dashboard-http.js';
import { ConfirmDeletePage } from './views/confirm-pages.js';
import { ProjectList } from './views/overview.js';
import { ProjectForm } from './views/project-editor.js';
import { DashboardFrame } from '../../../platform/views/dashboard-frame.js';
import { csrfOf } from '../../../platform/views/view-context.js';

const EDIT_FIELDS = ['title', 'slug', 'description', 'cover_image_id'] as const;
type EditValues = Record<(typeof EDIT_FIELDS)[number], string>;

export async function projectRoutes(app: FastifyInstance, deps: CatalogDeps) {
  const host = deps.config.publicUrl.host;

  async function editor(
    request: FastifyRequest,
    reply: FastifyReply,
    id: string,
    state: { values?: EditValues; errors?: FieldErrors; status?: number } = {},
  ) {
    const principal = principalOf(request);
    await loadProject(deps.db, principal, 'project.edit', id);
    const project = await getProject(deps, principal, id);
    const values = state.values ?? project;
    const cover = state.values
      ? await pickedImage(deps, state.values.cover_image_id)
      : coverOf(project);
    const errors = state.errors ?? {};
    const saved = request.method === 'POST' && state.errors === undefined;
    const form = (
      <ProjectForm
        projectId={project.id}
        values={{ title: values.title, slug: values.slug, description: values.description }}
        cover={cover}
        handle={principal.user.handle}
        host={host}
        csrfToken={csrfOf(request)}
        errors={errors}
        saved={saved}
        focusProblem={Object.keys(errors).length > 0}
      />
    );
    return render(reply, {
      title: `Edit ${project.title}`,
      status: state.status,
      body: wantsFragment(request) ? (
        form
      ) : (
        <DashboardFrame
          section="projects"
          within
          title={project.title}
          lead="Edit the project’s details and cover."
          back={{ href: '/dashboard', label: 'Dashboard' }}
          flash={flashOf(request)}
          actions={
            <>
              <a class="button button--secondary" href={new URL(project.url).pathname}>
                View project
              </a>
              <a
                class="button button--secondary"
                href={`/dashboard/projects/${project.id}/membership`}
              >
                Membership
              </a>
              <a
                class="button button--primary"
                href={`/dashboard/projects/${project.id}/items/new`}
              >
                New item
              </a>
            </>
          }
        >
          {form}
          <section class="dashboard-card dashboard-card--danger" aria-labelledby="danger-title">
            <h2 id="danger-title">Delete</h2>
            <p>Deleting a project deletes its drafts. Unpublish or delete its items first.</p>
            <a class="button button--danger" href={`/dashboard/projects/${project.id}/delete`}>
              Delete project…
            </a>
          </section>
        </DashboardFrame>
      ),
    });
  }

  app.get('/dashboard/projects/:id', async (request, reply) =>
    editor(request, reply, idParam(request, 'project')),
  );

  app.post('/dashboard/projects/:id', async (request, reply) => {
    const id = idParam(request, 'project');
    const body = formBody(request.body);
    const values = valuesOf(body, EDIT_FIELDS);
    const removeCover = one(body, 'cover_image_id_remove') === '1';
    if (removeCover) values.cover_image_id = '';
    try {
      const input = updateProjectSchema.parse({
        title: values.title,
        slug: values.slug.trim(),
        description: values.description,
        cover_image_id: values.cover_image_id || null,
      });
      await changeProject(deps, principalOf(request), id, input);
    } catch (error) {
      const invalid = formErrorsOf(error);
      if (!invalid) throw error;
      return editor(request, reply, id, { values, ...invalid });
    }
    if (wantsFragment(request)) return editor(request, reply, id);
    return reply.redirect(`/dashboard/projects/${id}?done=project_saved`, 303);
  });

  async function confirmDelete(
    request: FastifyRequest,
    reply: FastifyReply,
    id: string,
    refusal?: AppError,
  ) {
    const principal = principalOf(request);
    const project = await loadProject(deps.db, principal, 'project.edit', id);
    return render(reply, {
      title: `Delete ‘${project.title}’?`,
      status: refusal?.status,
      body: (
        <ConfirmDeletePage
          kind="project"
          title={project.title}
          action={`/dashboard/projects/${project.id}/delete`}
          cancelHref={`/dashboard/projects/${project.id}`}
          csrfToken={csrfOf(request)}
          refusal={refusal?.message}
        />
      ),
    });
  }

  app.get('/dashboard/projects/:id/delete', (request, reply) =>
    confirmDelete(request, reply, idParam(request, 'project')),
  );

  app.post('/dashboard/projects/:id/delete', async (request, reply) => {
    const id = idParam(request, 'project');
    try {
      await removeProject(deps, principalOf(request), id);
    } catch (error) {
      if (error instanceof AppError && error.code === 'PROJECT_NOT_EMPTY') {
        return confirmDelete(request, reply, id, error);
      }
      throw error;
    }
    return seeOther(request, reply, '/dashboard?done=project_deleted');
  });

  app.post('/dashboard/projects/:id/move', async (request, reply) => {
    const id = idParam(request, 'project');
    const principal = principalOf(request);
    await loadProject(deps.db, principal, 'project.edit', id);
    const { direction } = directionSchema.parse(request.body);
    const ids = (await allMyProjects(deps, principal)).map((project) => project.id);
    await reorderProjects(deps, principal, moveId(ids, id, direction));
    if (!wantsFragment(request)) return reply.redirect(`/dashboard#project-${id}`, 303);
    const projects = await loadOverview(deps, principal);
    const facts = await loadRowFacts(
      deps,
      principal,
      projects.flatMap((p) => p.items),
    );
    return render(reply, {
      title: 'Your dashboard',
      body: (
        <ProjectList
          projects={projects}
          csrfToken={csrfOf(request)}
          facts={facts}
          moved={{ id, direction }}
        />
      ),
    });
  });
}
