// /dashboard/projects/new: the create-project wizard. No draft is kept on the server: every
// step's POST carries all values (hidden fields for the other steps) and answers with the step
// it leads to; "create" makes the project and goes to the dashboard.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { FieldErrors } from '../../../platform/errors.js';
import { principalOf } from '../../../platform/http/auth.js';
import { createProjectSchema, slugify } from '../catalog.schemas.js';
import { createProject, type CatalogDeps } from '../projects.service.js';
import { pickedImage } from './dashboard-data.js';
import {
  formBody,
  formErrorsOf,
  one,
  seeOther,
  valuesOf,
  type FormBody,
} from './dashboard-forms.js';
import { focusFor, sendWizard } from './dashboard-http.js';
import {
  PROJECT_FIELDS,
  PROJECT_STEPS,
  ProjectWizard,
  type ProjectDraft,
  type ProjectStep,
} from './views/project-wizard.js';
import { csrfOf } from '../../../platform/views/view-context.js';

function stepOf(value: string): ProjectStep {
  return PROJECT_STEPS.find((step) => step.id === value)?.id ?? 'details';
}

function draftOf(body: FormBody): ProjectDraft {
  const draft: ProjectDraft = valuesOf(body, PROJECT_FIELDS);
  if (one(body, 'cover_image_id_remove') === '1') draft.cover_image_id = '';
  return draft;
}

function projectInput(draft: ProjectDraft) {
  return {
    title: draft.title,
    ...(draft.slug.trim() !== '' && { slug: draft.slug.trim() }),
    description: draft.description,
  };
}

export async function projectWizardRoutes(app: FastifyInstance, deps: CatalogDeps) {
  const host = deps.config.publicUrl.host;

  async function wizard(
    request: FastifyRequest,
    reply: FastifyReply,
    step: ProjectStep,
    draft: ProjectDraft,
    errors: FieldErrors = {},
    status?: number,
  ) {
    const failed = Object.keys(errors).length > 0;
    const section = (
      <ProjectWizard
        step={step}
        draft={draft}
        cover={await pickedImage(deps, draft.cover_image_id)}
        handle={principalOf(request).user.handle}
        host={host}
        csrfToken={csrfOf(request)}
        errors={errors}
        focus={focusFor(request, failed)}
      />
    );
    const label = PROJECT_STEPS.find((s) => s.id === step)?.label ?? '';
    return sendWizard(request, reply, { title: 'New project', step: label, section, status });
  }

  app.get('/dashboard/projects/new', (request, reply) =>
    wizard(request, reply, 'details', { title: '', slug: '', description: '', cover_image_id: '' }),
  );

  app.post('/dashboard/projects/new', async (request, reply) => {
    const body = formBody(request.body);
    const step = stepOf(one(body, 'step'));
    const draft = draftOf(body);
    const go = one(body, 'go');
    const index = PROJECT_STEPS.findIndex((s) => s.id === step);
    const previous = PROJECT_STEPS[Math.max(0, index - 1)]?.id ?? 'details';
    const next = PROJECT_STEPS[Math.min(PROJECT_STEPS.length - 1, index + 1)]?.id ?? 'review';
    if (go === 'back') return wizard(request, reply, previous, draft);
    if (go === 'skip') return wizard(request, reply, 'review', { ...draft, cover_image_id: '' });
    // Every step after the first re-checks the details: hidden fields can be edited too.
    if (draft.slug.trim() === '' && draft.title.trim() !== '') {
      draft.slug = slugify(draft.title, 'project');
    }
    const parsed = createProjectSchema.safeParse(projectInput(draft));
    if (!parsed.success) {
      const invalid = formErrorsOf(parsed.error);
      return wizard(request, reply, 'details', draft, invalid?.errors, 422);
    }
    if (go !== 'create') return wizard(request, reply, next, draft);
    try {
      const project = await createProject(deps, principalOf(request), {
        ...parsed.data,
        ...(draft.cover_image_id !== '' && { cover_image_id: draft.cover_image_id }),
      });
      return await seeOther(
        request,
        reply,
        `/dashboard?done=project_created#project-${project.id}`,
      );
    } catch (error) {
      const invalid = formErrorsOf(error);
      if (!invalid) throw error;
      const onCover = 'cover_image_id' in invalid.errors;
      const back = onCover ? 'cover' : 'details';
      return wizard(request, reply, back, draft, invalid.errors, invalid.status);
    }
  });
}
