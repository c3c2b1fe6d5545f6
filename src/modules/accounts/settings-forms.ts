// Small helpers the settings page routes share: form errors to re-render with, the flash key
// of a redirect, ids in URLs, and the re-authentication state the pages show.
import type { FastifyRequest } from 'fastify';
import { z, ZodError } from 'zod';
import { AppError, notFound, type FieldErrors } from '../../platform/errors.js';
import type { Principal } from '../../platform/http/auth.js';
import { zodFieldErrors } from '../../platform/http/error-handler.js';
import { reauthRemainingMs } from './reauth.js';
import { idSchema } from './settings.schemas.js';
import { flashFor } from './views/settings-parts.js';

/** The field errors of a form that should be shown again (422, or 409 like EMAIL_TAKEN). */
export function formErrorsOf(error: unknown): { status: number; errors: FieldErrors } | undefined {
  if (error instanceof ZodError) return { status: 422, errors: zodFieldErrors(error) };
  if (error instanceof AppError && error.fields && (error.status === 422 || error.status === 409)) {
    return { status: error.status, errors: error.fields };
  }
  return undefined;
}

/** The string fields of a submitted form, to put back into the inputs. */
export function formValues(body: unknown): Record<string, string> {
  const values: Record<string, string> = {};
  if (body && typeof body === 'object') {
    for (const [key, value] of Object.entries(body)) {
      if (typeof value === 'string' && key !== '_csrf' && !key.includes('password')) {
        values[key] = value;
      }
    }
  }
  return values;
}

const doneQuery = z.object({ done: z.string().max(40).optional() }).catch({});

export function flashOf(request: FastifyRequest): string | undefined {
  return flashFor(doneQuery.parse(request.query).done);
}

/** The :id of the URL; anything that cannot be an id is a 404 like an id of someone else's. */
export function idParamOf(request: FastifyRequest, what: string): string {
  const { id } = z.object({ id: z.string() }).parse(request.params);
  const parsed = idSchema.safeParse(id);
  if (!parsed.success) throw notFound(what);
  return parsed.data;
}

export function reauthStateOf(principal: Principal): { open: boolean; minutesLeft: number } {
  const remaining = reauthRemainingMs(principal);
  return { open: remaining > 0, minutesLeft: Math.max(1, Math.ceil(remaining / 60_000)) };
}

export const sessionIdOf = (principal: Principal): string | undefined =>
  principal.via === 'session' ? principal.credentialId : undefined;
