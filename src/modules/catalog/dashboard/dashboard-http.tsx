// Request helpers the catalogue's dashboard routes share (the creator gate is
// platform/http/require-creator.tsx): the flash of a redirect, ids in URLs, the wizard's focus rule and moving one id within an ordered list.
import type { FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { notFound } from '../../../platform/errors.js';
import { pageTitle } from '../../../platform/views/layout.js';
import { render, wantsFragment } from '../../../platform/views/render.js';
import { isUuid } from '../catalog.schemas.js';
import { flashFor } from './views/dashboard-parts.js';
import type { WizardFocus } from './views/wizard-frame.js';
import { DashboardFrame } from '../../../platform/views/dashboard-frame.js';

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
      <DashboardFrame
        section="projects"
        within
        title={page.title}
        lead={page.lead}
        back={{ href: '/dashboard', label: 'Dashboard' }}
      >
        {section}
      </DashboardFrame>
    ),
  });
}
