// /dashboard/promo-codes: a creator's codes (uses / limit and state), a form to make one, and a
// button to turn one off. Forms post back here; an invalid one re-renders with 422.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { ZodError, z } from 'zod';
import type { Db } from '../../db/database.js';
import { AppError, type FieldErrors } from '../../platform/errors.js';
import { principalOf, requireUser } from '../../platform/http/auth.js';
import { zodFieldErrors } from '../../platform/http/error-handler.js';
import { render } from '../../platform/views/render.js';
import { parseMajorUnits, type ParsedAmount } from '../../platform/money/index.js';
import { findCreatorCurrency, listTargets } from './promos.repository.js';
import { promoInputSchema } from './promos.schemas.js';
import { changePromo, createPromo, listOwnPromos, removePromo } from './promos.service.js';
import { PromoCodesPage, type PromoFormValues } from './views/promo-codes-page.js';
import { csrfOf } from '../../platform/views/view-context.js';
import { requireCreator } from '../../platform/http/require-creator.js';

const formSchema = z.object({
  code: z.string().max(100).default(''),
  kind: z.string().max(20).default('percent'),
  value: z.string().trim().max(20).default(''),
  target: z.string().max(100).default('all'),
  starts_on: z.string().trim().max(20).default(''),
  ends_on: z.string().trim().max(20).default(''),
  limit: z.string().trim().max(20).default(''),
});

const FLASHES = {
  created: 'Promo code created.',
  deactivated: 'Promo code turned off.',
  deleted: 'Promo code deleted.',
} as const;
const doneQuery = z.object({ done: z.enum(['created', 'deactivated', 'deleted']).optional() });

/** A yyyy-mm-dd day as the start of that UTC day (plus days). */
function dayStart(text: string, plusDays = 0): string | undefined {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(text)) return undefined;
  const at = new Date(`${text}T00:00:00Z`);
  if (Number.isNaN(at.getTime())) return undefined;
  return new Date(at.getTime() + plusDays * 86_400_000).toISOString();
}

/** The form's text as the API's input (before validation); `amountOff` is the fixed amount. */
function toInput(values: PromoFormValues, amountOff: number | undefined): Record<string, unknown> {
  const [scope, id] = values.target.split(':');
  const percent = Number(values.value);
  return {
    code: values.code,
    kind: values.kind,
    ...(values.kind === 'percent' && { percent_off: Number.isInteger(percent) ? percent : -1 }),
    ...(values.kind === 'fixed' && { amount_off: amountOff }),
    scope: scope === 'project' || scope === 'item' ? scope : 'all',
    ...(scope === 'project' && { project_id: id }),
    ...(scope === 'item' && { item_id: id }),
    ...(values.starts_on && { starts_at: dayStart(values.starts_on) ?? values.starts_on }),
    // the end day is included: the code works until that day is over (UTC)
    ...(values.ends_on && { ends_at: dayStart(values.ends_on, 1) ?? values.ends_on }),
    ...(values.limit && { max_redemptions: Number(values.limit) }),
  };
}

/** API field names → the form's. */
const FORM_FIELD: Record<string, string> = {
  percent_off: 'value',
  amount_off: 'value',
  project_id: 'target',
  item_id: 'target',
  scope: 'target',
  starts_at: 'starts_on',
  ends_at: 'ends_on',
  max_redemptions: 'limit',
};

export async function promosPages(app: FastifyInstance, { db }: { db: Db }) {
  async function show(
    request: FastifyRequest,
    reply: FastifyReply,
    state: { values?: PromoFormValues; errors?: FieldErrors; flash?: string } = {},
  ) {
    const principal = principalOf(request);
    const [promos, targets, currency] = await Promise.all([
      listOwnPromos(db, principal),
      listTargets(db, principal.user.id),
      findCreatorCurrency(db, principal.user.id),
    ]);
    const failed = state.errors !== undefined;
    return render(reply, {
      title: 'Promo codes',
      status: failed ? 422 : 200,
      body: (
        <PromoCodesPage
          csrfToken={csrfOf(request)}
          currency={currency}
          promos={promos}
          targets={targets}
          values={state.values}
          errors={state.errors ?? {}}
          flash={state.flash}
        />
      ),
    });
  }

  await app.register(async (signedIn) => {
    signedIn.addHook('preHandler', requireUser);
    signedIn.addHook('preHandler', requireCreator);

    signedIn.get('/dashboard/promo-codes', async (request, reply) => {
      const parsed = doneQuery.safeParse(request.query);
      const done = parsed.success ? parsed.data.done : undefined;
      return show(request, reply, { flash: done ? FLASHES[done] : undefined });
    });

    signedIn.post('/dashboard/promo-codes', async (request, reply) => {
      const values = formSchema.parse(request.body ?? {});
      // an amount off is typed in major units of the creator's currency
      let amountOff: ParsedAmount | undefined;
      if (values.kind === 'fixed' && values.value !== '') {
        const currency = await findCreatorCurrency(db, principalOf(request).user.id);
        amountOff = parseMajorUnits(values.value, currency);
        if (!amountOff.ok)
          return show(request, reply, { values, errors: { value: amountOff.message } });
      }
      try {
        const input = promoInputSchema.parse(
          toInput(values, amountOff?.ok ? amountOff.minor : undefined),
        );
        await createPromo(db, principalOf(request), input);
      } catch (error) {
        const fields =
          error instanceof ZodError
            ? zodFieldErrors(error)
            : error instanceof AppError && error.status === 422
              ? error.fields
              : undefined;
        if (!fields) throw error;
        const errors: FieldErrors = {};
        for (const [field, message] of Object.entries(fields)) {
          errors[FORM_FIELD[field] ?? field] ??= message;
        }
        return show(request, reply, { values, errors });
      }
      return reply.redirect('/dashboard/promo-codes?done=created', 303);
    });

    signedIn.post('/dashboard/promo-codes/:id/deactivate', async (request, reply) => {
      const { id } = z.object({ id: z.string().max(100) }).parse(request.params);
      await changePromo(db, principalOf(request), id, { active: false });
      return reply.redirect('/dashboard/promo-codes?done=deactivated', 303);
    });

    signedIn.post('/dashboard/promo-codes/:id/delete', async (request, reply) => {
      const { id } = z.object({ id: z.string().max(100) }).parse(request.params);
      const kept = await removePromo(db, principalOf(request), id);
      return reply.redirect(`/dashboard/promo-codes?done=${kept ? 'deactivated' : 'deleted'}`, 303);
    });
  });
}
