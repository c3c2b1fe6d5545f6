// /dashboard/projects/:id/items/new: the create-item wizard (type, details, price with AI
// disclosure and tags, review). Like the project wizard it keeps no server-side draft: each
// POST carries every value and answers with the step it leads to; "create" makes a draft.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { FieldErrors } from '../../../platform/errors.js';
import { principalOf } from '../../../platform/http/auth.js';
import { createItem } from '../items.service.js';
import { loadProject, type CatalogDeps } from '../projects.service.js';
import type { ProjectRow } from '../projects.repository.js';
import { formatMoney } from '../../../platform/money/index.js';
import { formBody, formErrorsOf, one, seeOther } from './dashboard-forms.js';
import { focusFor, idParam, sendWizard } from './dashboard-http.js';
import {
  ITEM_ERROR_NAMES,
  checkItemValues,
  itemValuesOf,
  priceOf,
  type ItemValues,
} from './item-form.js';
import { PRICE_MODELS } from './views/dashboard-labels.js';
import { ITEM_STEPS, ITEM_STEP_FIELDS, ItemWizard, type ItemStep } from './views/item-wizard.js';
import { csrfOf } from '../../../platform/views/view-context.js';

const EMPTY: ItemValues = {
  type: '',
  title: '',
  description: '',
  body: '',
  price_model: 'free',
  price_amount: '',
  price_minimum: '',
  price_suggested: '',
  ai_tier: '',
  ai_statement: '',
  tags: [],
};

const stepIndex = (step: ItemStep) => ITEM_STEPS.findIndex((s) => s.id === step);

function stepOf(value: string): ItemStep {
  return ITEM_STEPS.find((step) => step.id === value)?.id ?? 'type';
}

/** The first step that shows one of these fields; the price step for anything else. */
function stepOfErrors(errors: FieldErrors): ItemStep {
  const names = Object.keys(errors);
  for (const step of ITEM_STEPS) {
    if (names.some((name) => ITEM_STEP_FIELDS[step.id].includes(name))) return step.id;
  }
  return 'price';
}

function priceSummary(values: ItemValues, currency: string): string {
  const price = priceOf(values, currency, {});
  const label = PRICE_MODELS.find((m) => m.model === values.price_model)?.label ?? '';
  if (price?.model === 'fixed') return formatMoney(price.amount, currency);
  if (price?.model === 'pwyw') {
    const suggested =
      price.suggested === undefined ? '' : `, suggested ${formatMoney(price.suggested, currency)}`;
    return `from ${formatMoney(price.minimum, currency)}${suggested}`;
  }
  return label;
}

export async function itemWizardRoutes(app: FastifyInstance, deps: CatalogDeps) {
  async function wizard(
    request: FastifyRequest,
    reply: FastifyReply,
    project: ProjectRow,
    step: ItemStep,
    values: ItemValues,
    errors: FieldErrors = {},
    status?: number,
  ) {
    const currency = project.creator_currency;
    const section = (
      <ItemWizard
        projectId={project.id}
        projectTitle={project.title}
        step={step}
        values={values}
        priceSummary={priceSummary(values, currency)}
        currency={currency}
        csrfToken={csrfOf(request)}
        errors={errors}
        focus={focusFor(request, Object.keys(errors).length > 0)}
      />
    );
    const label = ITEM_STEPS.find((s) => s.id === step)?.label ?? '';
    const lead = `In ${project.title}`;
    return sendWizard(request, reply, { title: 'New item', lead, step: label, section, status });
  }

  const ownProject = (request: FastifyRequest) =>
    loadProject(deps.db, principalOf(request), 'project.edit', idParam(request, 'project'));

  app.get('/dashboard/projects/:id/items/new', async (request, reply) =>
    wizard(request, reply, await ownProject(request), 'type', EMPTY),
  );

  app.post('/dashboard/projects/:id/items/new', async (request, reply) => {
    const project = await ownProject(request);
    const body = formBody(request.body);
    const values = itemValuesOf(body);
    const step = stepOf(one(body, 'step'));
    const go = one(body, 'go');
    const index = stepIndex(step);
    if (go === 'back') {
      return wizard(
        request,
        reply,
        project,
        ITEM_STEPS[Math.max(0, index - 1)]?.id ?? 'type',
        values,
      );
    }
    const checked = checkItemValues(values, project.creator_currency);
    // Only the steps seen so far are judged; later ones are still to come.
    const seen = new Set(ITEM_STEPS.slice(0, index + 1).flatMap((s) => ITEM_STEP_FIELDS[s.id]));
    const errors = Object.fromEntries(
      Object.entries(checked.errors).filter(([name]) => go === 'create' || seen.has(name)),
    );
    if (Object.keys(errors).length > 0) {
      return wizard(request, reply, project, stepOfErrors(errors), values, errors, 422);
    }
    if (go !== 'create' || !checked.input) {
      const next = ITEM_STEPS[Math.min(ITEM_STEPS.length - 1, index + 1)]?.id ?? 'review';
      return wizard(request, reply, project, next, values);
    }
    try {
      const item = await createItem(deps, principalOf(request), project.id, checked.input);
      return await seeOther(request, reply, `/dashboard/items/${item.id}?done=item_created`);
    } catch (error) {
      const invalid = formErrorsOf(error, ITEM_ERROR_NAMES);
      if (!invalid) throw error;
      const target = stepOfErrors(invalid.errors);
      return wizard(request, reply, project, target, values, invalid.errors, invalid.status);
    }
  });
}
