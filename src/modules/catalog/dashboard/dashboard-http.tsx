// Request helpers the dashboard routes share: the creator gate, the flash of a redirect, ids in
// URLs, the wizard's focus rule and moving one id within an ordered list.
import type { FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { AppError, notFound } from '../../../platform/errors.js';
import { principalOf } from '../../../platform/http/auth.js';
import { pageTitle } from '../../../platform/views/layout.js';
import { render, wantsFragment } from '../../../platform/views/render.js';
import { getViewContext } from '../../../platform/views/view-context.js';
import { isUuid } from '../catalog.schemas.js';
import { DashboardShell, flashFor } from './views/dashboard-parts.js';
import { NotCreatorPage } from './views/not-creator.js';
import type { WizardFocus } from './views/wizard-frame.js';

export const csrfOf = (request: FastifyRequest): string => getViewContext(request).csrfToken;

/**
 * preHandler of the creator-only routes: a fan's page view explains how to turn on creating
 * (200 on the dashboard itself, 403 elsewhere); anything else from a fan is 403 NOT_A_CREATOR.
 */
export async function requireCreator(request: FastifyRequest, reply: FastifyReply) {
  if (principalOf(request).user.isCreator) return;
  if (request.method !== 'GET') {
    throw new AppError('NOT_A_CREATOR', 403, 'Turn on creating first, at /join/create.');
  }
  const isHome = request.url.split('?', 1)[0] === '/dashboard';
  return render(reply, {
    title: 'Start creating',
    status: isHome ? 200 : 403,
    body: <NotCreatorPage />,
  });
}

const doneQuery = z.object({ done: z.string().max(40).optional() }).catch({});

export function flashOf(request: FastifyRequest): string | undefined {
  return flashFor(doneQuery.parse(request.query).done);
}

/** The :id (or another param) of the URL; anything that cannot be an id is a 404. */
export function idParam(request: FastifyRequest, what: string, name = 'id'): string {
  const parsed = z.record(z.string(), z.unknown()).safeParse(request.params);
  const value = parsed.success ? parsed.data[name] : undefined;
  if (typeof value !== 'string' || !isUuid(value)) throw notFound(what);
  return value;
}

/** A new step's heading takes focus after a swap or a POST; a refused step's summary does. */
export function focusFor(request: FastifyRequest, failed: boolean): WizardFocus {
  if (failed) return 'problem';
  return request.method === 'POST' || wantsFragment(request) ? 'heading' : 'none';
}

/** The ids with `id` moved one place up or down; the same order when it cannot move. */
export function moveId(ids: readonly string[], id: string, direction: 'up' | 'down'): string[] {
  const order = [...ids];
  const from = order.indexOf(id);
  const to = direction === 'up' ? from - 1 : from + 1;
  if (from < 0 || to < 0 || to >= order.length) return order;
  const [moved] = order.splice(from, 1);
  if (moved !== undefined) order.splice(to, 0, moved);
  return order;
}

export const directionSchema = z.object({ direction: z.enum(['up', 'down']) });

/**
 * A wizard step: the whole page, or for htmx just the section, with the <title> htmx applies
 * ("Step 2 of 3: Cover · New project"), so the tab and screen readers follow the step.
 */
export async function sendWizard(
  request: FastifyRequest,
  reply: FastifyReply,
  page: { title: string; lead?: string; step: string; section: JSX.Element; status?: number },
) {
  const title = `${page.step} · ${page.title}`;
  const { section } = page;
  return render(reply, {
    title,
    status: page.status,
    body: wantsFragment(request) ? (
      <>
        <title safe>{pageTitle(title)}</title>
        {section}
      </>
    ) : (
      <DashboardShell
        title={page.title}
        lead={page.lead}
        back={{ href: '/dashboard', label: 'Dashboard' }}
      >
        {section}
      </DashboardShell>
    ),
  });
}
