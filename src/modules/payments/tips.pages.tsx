// /tip/<handle>: where the tip forms of creator and project pages post. A valid tip goes on to
// the processor's page (303); an invalid one comes back here as a page with the form, its
// values kept and the errors tied to their fields (422). /tip/<handle>/thanks/<token> answers
// the thanks the fan sees back on the page, which polls it until the tip is confirmed.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { ZodError, z } from 'zod';
import { AppError, notFound, type FieldErrors } from '../../platform/errors.js';
import { zodFieldErrors } from '../../platform/http/error-handler.js';
import { Notice, PageHeader } from '../../platform/views/components.js';
import { getViewContext } from '../../platform/views/view-context.js';
import { render } from '../../platform/views/render.js';
import { isUuid } from '../../platform/ids.js';
import { amountExample, parseMajorUnits, type ParsedAmount } from '../../platform/money/index.js';
import { TIP_PRESETS, TipForm, type TipFormValues } from '../catalog/index.js';
import { TipThanksMessage } from '../catalog/index.js';
import type { PaymentsDeps } from './checkout.service.js';
import { tipInputSchema } from './payments.schemas.js';
import { loadTipCreator, startTip, tipThanksState } from './tips.service.js';
import { findTipCreator, type TipCreator } from './tips.repository.js';

const params = z.object({ handle: z.string().min(1).max(100) });
const thanksParams = params.extend({ token: z.string().min(1).max(200) });
const form = z.object({
  preset: z.string().trim().max(20).optional(),
  other: z.string().trim().max(20).optional(),
  message: z.string().max(2000).optional(),
  email: z.string().trim().max(320).optional(),
  project_id: z.string().trim().max(100).optional(),
});
const query = z.object({ project: z.string().max(100).optional() }).catch({});

/** The amount the form chose, in minor units; undefined when it is not an amount. */
function chosenAmount(values: TipFormValues, currency: string): ParsedAmount | undefined {
  if (values.preset === 'other') return parseMajorUnits(values.other ?? '', currency);
  const preset = TIP_PRESETS.find((minor) => String(minor) === values.preset);
  return preset === undefined ? undefined : { ok: true, minor: preset };
}

export async function tipPages(app: FastifyInstance, { deps }: { deps: PaymentsDeps }) {
  async function show(
    request: FastifyRequest,
    reply: FastifyReply,
    creator: TipCreator,
    state: { projectId?: string | undefined; values?: TipFormValues; errors?: FieldErrors } = {},
  ) {
    const problem = Object.values(state.errors ?? {})[0];
    return render(reply, {
      title: `Tip ${creator.display_name}`,
      status: problem ? 422 : 200,
      body: (
        <div class="wrap catalog-page">
          <PageHeader eyebrow="Tip" title={creator.display_name} lead="Send a tip." />
          {problem ? (
            <Notice tone="error" title="Please check the form">
              <p safe>{problem}</p>
            </Notice>
          ) : (
            ''
          )}
          <TipForm
            handle={creator.handle}
            displayName={creator.display_name}
            currency={creator.currency.trim()}
            projectId={state.projectId}
            signedIn={request.principal !== undefined}
            csrfToken={getViewContext(request).csrfToken}
            values={state.values}
            errors={state.errors}
          />
        </div>
      ),
    });
  }

  app.get('/tip/:handle', async (request, reply) => {
    const { handle } = params.parse(request.params);
    const creator = await loadTipCreator(deps, handle);
    const { project } = query.parse(request.query);
    return show(request, reply, creator, {
      projectId: project && isUuid(project) ? project : undefined,
    });
  });

  app.get('/tip/:handle/thanks/:token', async (request, reply) => {
    const parsed = thanksParams.safeParse(request.params);
    if (!parsed.success) throw notFound('tip');
    const { handle, token } = parsed.data;
    const creator = await findTipCreator(deps.db, handle);
    const state = creator ? await tipThanksState(deps, creator.id, token) : undefined;
    if (!creator || !state) throw notFound('tip');
    reply.header('cache-control', 'private, no-store');
    return render(reply, {
      title: 'Thank you',
      body: (
        <TipThanksMessage
          state={state}
          displayName={creator.display_name}
          pollUrl={`/tip/${creator.handle}/thanks/${encodeURIComponent(token)}`}
          token={token}
        />
      ),
    });
  });

  app.post('/tip/:handle', async (request, reply) => {
    const { handle } = params.parse(request.params);
    const creator = await loadTipCreator(deps, handle);
    const values = form.parse(request.body ?? {});
    const projectId = values.project_id || undefined;
    const currency = creator.currency.trim();
    const amount = chosenAmount(values, currency);
    if (!amount?.ok) {
      return show(request, reply, creator, {
        projectId,
        values,
        errors: {
          amount:
            amount?.message ?? `Choose an amount, or enter one like ${amountExample(currency)}.`,
        },
      });
    }
    try {
      const input = tipInputSchema.parse({
        creator: creator.handle,
        amount: amount.minor,
        ...(projectId && { project_id: projectId }),
        ...(values.message?.trim() && { message: values.message }),
        ...(values.email && { email: values.email }),
      });
      const { checkout_url } = await startTip(deps, request.principal, input);
      return await reply.redirect(checkout_url ?? `/@${creator.handle}`, 303);
    } catch (error) {
      const errors =
        error instanceof ZodError
          ? zodFieldErrors(error)
          : error instanceof AppError && error.fields && error.status === 422
            ? error.fields
            : undefined;
      if (!errors) throw error;
      return show(request, reply, creator, { projectId, values, errors });
    }
  });
}
