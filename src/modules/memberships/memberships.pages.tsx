// The memberships pages: the public membership page of a project (join a tier), the creator's
// projects with their tiers (/dashboard/memberships), each project's tiers and members (with
// the CSV export), and the fan's memberships (cancel).
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { ZodError, z } from 'zod';
import { AppError, notFound, type FieldErrors } from '../../platform/errors.js';
import { zodFieldErrors } from '../../platform/http/error-handler.js';
import { render } from '../../platform/views/render.js';
import { csrfOf } from '../../platform/views/view-context.js';
import { flashReader } from '../../platform/views/forms.js';
import { principalOf } from '../../platform/http/auth.js';
import { requireCreator } from '../../platform/http/require-creator.js';
import { parseMajorUnits } from '../../platform/money/index.js';
import { membersCsv } from './members-csv.js';
import { findJoinOrder, listMembersOfProject } from './memberships.repository.js';
import { tierInputSchema, tierPatchSchema } from './memberships.schemas.js';
import { cancelMembership, listMyMemberships } from './memberships.service.js';
import { subscribe, type MembershipsDeps } from './subscribe.service.js';
import {
  findPublicProject,
  findTier,
  listMembershipOverview,
  listTiers,
} from './tiers.repository.js';
import {
  createTier,
  patchTier,
  removeTier,
  requireOwnProject,
  requireOwnTier,
} from './tiers.service.js';
import { JoinPage } from './views/join-page.js';
import { MyMembershipsPage, type Joining, type JoinState } from './views/my-memberships-page.js';
import { MembershipsOverviewPage } from './views/memberships-overview-page.js';
import { TiersPage, type TierFormValues } from './views/tiers-page.js';

const publicParams = z.object({ handle: z.string().max(100), project: z.string().max(200) });
const idParams = z.object({ id: z.string().max(100) });
const joinForm = z.object({
  tier_id: z.string().max(100).default(''),
  interval: z.string().max(10).default(''),
  email: z.string().trim().max(320).optional(),
  promo_code: z.string().trim().max(64).optional(),
});
const tierForm = z.object({
  name: z.string().max(500).default(''),
  description: z.string().max(10_000).default(''),
  benefits: z.string().max(10_000).default(''),
  monthly: z.string().trim().max(20).default(''),
  yearly: z.string().trim().max(20).default(''),
  status: z.enum(['active', 'archived']).optional(),
});
const doneQuery = z.object({ done: z.string().max(40).optional() }).catch({});
const orderQuery = z.object({ order: z.uuid().optional() }).catch({});
const flashFor = flashReader({
  tier_added: 'Tier added.',
  tier_saved: 'Tier saved.',
  tier_deleted: 'Tier deleted.',
  tier_archived: 'The tier has members, so it was archived: it is closed to new members.',
  canceled: 'Canceled: the membership is yours until the end of the period you paid for.',
});
const flashOf = (request: FastifyRequest) => flashFor(doneQuery.parse(request.query).done);

/**
 * How the membership order a fan came back with stands: confirming until its payment is applied
 * (the processor's redirect may arrive before its webhook), active once it started a membership.
 */
async function joiningOf(
  db: MembershipsDeps['db'],
  request: FastifyRequest,
  userId: string,
): Promise<Joining | undefined> {
  const { order: orderId } = orderQuery.parse(request.query);
  const order = orderId ? await findJoinOrder(db, orderId, userId) : undefined;
  if (!orderId || !order) return undefined;
  let state: JoinState | undefined;
  switch (order.status) {
    case 'pending':
      state = 'confirming';
      break;
    case 'paid':
    case 'partially_refunded':
      state = order.membership_id === null ? 'confirming' : 'active';
      break;
    case 'failed':
      state = 'failed';
      break;
    case 'refunded':
    case 'disputed':
      state = undefined;
      break;
  }
  if (!state) return undefined;
  const here = `/library/memberships?${new URLSearchParams({ order: orderId }).toString()}`;
  return { state, projectTitle: order.project_title, here };
}

/** Field errors of a refused form, or undefined when the error is not the user's to fix. */
function formErrors(error: unknown): FieldErrors | undefined {
  if (error instanceof ZodError) return zodFieldErrors(error);
  if (error instanceof AppError && error.status === 422) {
    return error.fields ?? { form: error.message };
  }
  return undefined;
}

/** A price typed in major units of the tier's currency; empty is no price for that interval. */
function price(text: string, currency: string, field: string, errors: FieldErrors) {
  if (text === '') return null;
  const amount = parseMajorUnits(text, currency);
  if (amount.ok) return amount.minor;
  errors[field] = amount.message;
  return undefined;
}

/** The dashboard form as the API's tier input: prices in minor units, one benefit a line. */
function tierFromForm(values: z.infer<typeof tierForm>, currency: string) {
  const errors: FieldErrors = {};
  const input = {
    name: values.name,
    description: values.description,
    benefits: values.benefits
      .split(/\r?\n/)
      .map((line) => line.trim())
      .filter(Boolean),
    monthly_price: price(values.monthly, currency, 'monthly_price', errors),
    yearly_price: price(values.yearly, currency, 'yearly_price', errors),
    ...(values.status && { status: values.status }),
  };
  if (Object.keys(errors).length > 0)
    throw new AppError('VALIDATION_FAILED', 422, 'Check the prices.', { fields: errors });
  return input;
}

export async function membershipsPages(app: FastifyInstance, { deps }: { deps: MembershipsDeps }) {
  const { db } = deps;

  async function showJoin(
    request: FastifyRequest,
    reply: FastifyReply,
    failed?: { tierId: string; values: Record<string, string>; errors: FieldErrors },
  ) {
    const params = publicParams.parse(request.params);
    const project = await findPublicProject(db, params.handle, params.project);
    if (!project) throw notFound('project');
    const projectUrl = `/@${encodeURIComponent(project.handle)}/${encodeURIComponent(project.slug)}`;
    return render(reply, {
      title: `Membership: ${project.title}`,
      status: failed ? 422 : undefined,
      body: (
        <JoinPage
          projectTitle={project.title}
          projectUrl={projectUrl}
          creatorName={project.display_name}
          creatorUrl={`/@${encodeURIComponent(project.handle)}`}
          action={`${projectUrl}/membership`}
          tiers={await listTiers(db, project.id, { activeOnly: true })}
          signedIn={request.principal !== undefined}
          csrfToken={csrfOf(request)}
          failed={failed}
        />
      ),
    });
  }

  app.get('/@:handle/:project/membership', (request, reply) => showJoin(request, reply));

  app.post('/@:handle/:project/membership', async (request, reply) => {
    const form = joinForm.parse(request.body ?? {});
    const values: Record<string, string> = {
      interval: form.interval,
      ...(form.email !== undefined && { email: form.email }),
      ...(form.promo_code !== undefined && { promo_code: form.promo_code }),
    };
    try {
      const { checkout_url } = await subscribe(deps, request.principal, {
        tier_id: form.tier_id,
        interval: form.interval === 'year' ? 'year' : 'month',
        ...(form.email && { email: form.email }),
        ...(form.promo_code && { promo_code: form.promo_code }),
      });
      return await reply.redirect(checkout_url, 303);
    } catch (error) {
      const errors =
        formErrors(error) ??
        (error instanceof AppError && error.status === 409
          ? { interval: error.message }
          : undefined);
      if (!errors) throw error;
      return showJoin(request, reply, { tierId: form.tier_id, values, errors });
    }
  });

  await app.register(async (signedIn) => {
    signedIn.addHook('preHandler', async (request, reply) => {
      if (request.principal) return;
      await reply.redirect(`/login?next=${encodeURIComponent(request.url)}`, 303);
    });

    async function showTiers(
      request: FastifyRequest,
      reply: FastifyReply,
      projectId: string,
      failed?: { form: string; values: TierFormValues; errors: FieldErrors },
    ) {
      const principal = request.principal;
      if (!principal) throw notFound('project');
      const project = await requireOwnProject(db, principal, projectId);
      reply.header('cache-control', 'private, no-store');
      return render(reply, {
        title: `Membership: ${project.title}`,
        status: failed ? 422 : undefined,
        body: (
          <TiersPage
            project={{
              id: project.id,
              title: project.title,
              currency: project.currency,
              publicUrl: `/@${encodeURIComponent(project.handle)}/${encodeURIComponent(project.slug)}`,
            }}
            tiers={await listTiers(db, project.id, { activeOnly: false })}
            members={await listMembersOfProject(db, project.id)}
            csrfToken={csrfOf(request)}
            flash={flashOf(request)}
            failed={failed}
          />
        ),
      });
    }

    signedIn.get(
      '/dashboard/memberships',
      { preHandler: requireCreator },
      async (request, reply) => {
        const projects = await listMembershipOverview(db, principalOf(request).user.id);
        reply.header('cache-control', 'private, no-store');
        return render(reply, {
          title: 'Memberships',
          body: <MembershipsOverviewPage projects={projects} />,
        });
      },
    );

    signedIn.get('/dashboard/projects/:id/membership', async (request, reply) => {
      const { id } = idParams.parse(request.params);
      return showTiers(request, reply, id);
    });

    signedIn.get('/dashboard/projects/:id/members.csv', async (request, reply) => {
      const { id } = idParams.parse(request.params);
      const principal = request.principal;
      if (!principal) throw notFound('project');
      const project = await requireOwnProject(db, principal, id);
      const csv = membersCsv(await listMembersOfProject(db, project.id));
      return reply
        .header('content-type', 'text/csv; charset=utf-8')
        .header('content-disposition', `attachment; filename="members-${project.slug}.csv"`)
        .header('cache-control', 'private, no-store')
        .send(csv);
    });

    signedIn.post('/dashboard/projects/:id/tiers', async (request, reply) => {
      const { id } = idParams.parse(request.params);
      const principal = request.principal;
      if (!principal) throw notFound('project');
      const values = tierForm.parse(request.body ?? {});
      const { currency } = await requireOwnProject(db, principal, id);
      try {
        await createTier(db, principal, id, tierInputSchema.parse(tierFromForm(values, currency)));
      } catch (error) {
        const errors = formErrors(error);
        if (!errors) throw error;
        return showTiers(request, reply, id, { form: 'new', values, errors });
      }
      return reply.redirect(`/dashboard/projects/${id}/membership?done=tier_added`, 303);
    });

    signedIn.post('/dashboard/tiers/:id', async (request, reply) => {
      const { id } = idParams.parse(request.params);
      const principal = request.principal;
      if (!principal) throw notFound('tier');
      const values = tierForm.parse(request.body ?? {});
      const { currency } = await requireOwnTier(db, principal, id);
      let projectId: string;
      try {
        const tier = await patchTier(
          db,
          principal,
          id,
          tierPatchSchema.parse(tierFromForm(values, currency)),
        );
        projectId = tier.project_id;
      } catch (error) {
        const errors = formErrors(error);
        const tier = errors && (await findOwnTierProject(db, principal.user.id, id));
        if (!errors || !tier) throw error;
        return showTiers(request, reply, tier, { form: id, values, errors });
      }
      return reply.redirect(`/dashboard/projects/${projectId}/membership?done=tier_saved`, 303);
    });

    signedIn.post('/dashboard/tiers/:id/delete', async (request, reply) => {
      const { id } = idParams.parse(request.params);
      const principal = request.principal;
      if (!principal) throw notFound('tier');
      const projectId = await findOwnTierProject(db, principal.user.id, id);
      if (!projectId) throw notFound('tier');
      const archived = await removeTier(db, principal, id);
      const done = archived ? 'tier_archived' : 'tier_deleted';
      return reply.redirect(`/dashboard/projects/${projectId}/membership?done=${done}`, 303);
    });

    signedIn.get('/library/memberships', async (request, reply) => {
      const principal = request.principal;
      if (!principal) throw notFound('page');
      reply.header('cache-control', 'private, no-store');
      return render(reply, {
        title: 'Your memberships',
        body: (
          <MyMembershipsPage
            memberships={await listMyMemberships(db, principal)}
            csrfToken={csrfOf(request)}
            flash={flashOf(request)}
            joining={await joiningOf(db, request, principal.user.id)}
          />
        ),
      });
    });

    signedIn.post('/library/memberships/:id/cancel', async (request, reply) => {
      const { id } = idParams.parse(request.params);
      const principal = request.principal;
      if (!principal) throw notFound('membership');
      await cancelMembership(db, deps.processor, principal, id);
      return reply.redirect('/library/memberships?done=canceled', 303);
    });
  });
}

/** The project of a tier this user owns, or undefined. */
async function findOwnTierProject(db: MembershipsDeps['db'], userId: string, tierId: string) {
  const tier = /^[0-9a-f-]{36}$/i.test(tierId) ? await findTier(db, tierId) : undefined;
  return tier?.creator_id === userId ? tier.project_id : undefined;
}
