// Reading dashboard forms: the fields of a urlencoded body (repeated names become lists), the
// field errors of a failed parse or a refused change in the names the form uses, timestamps and
// tags. Amounts typed in major units are read by platform/money.
import type { FastifyReply, FastifyRequest } from 'fastify';
import { ZodError } from 'zod';
import { AppError, type FieldErrors } from '../../../platform/errors.js';
import { zodFieldErrors } from '../../../platform/http/error-handler.js';

export type FormBody = Readonly<Record<string, string | readonly string[]>>;

/** The string fields of a body; anything that is not a string or a list of strings is dropped. */
export function formBody(body: unknown): FormBody {
  const fields: Record<string, string | string[]> = {};
  if (body === null || typeof body !== 'object') return fields;
  for (const [name, value] of Object.entries(body)) {
    if (typeof value === 'string') fields[name] = value;
    else if (Array.isArray(value)) {
      fields[name] = value.filter((v): v is string => typeof v === 'string');
    }
  }
  return fields;
}

/** One field's value: the first when it was sent more than once, '' when it was not sent. */
export function one(body: FormBody, name: string): string {
  const value = body[name];
  if (value === undefined) return '';
  return typeof value === 'string' ? value : (value[0] ?? '');
}

/** Every value of a field sent under one name, in order. */
export function many(body: FormBody, name: string): string[] {
  const value = body[name];
  if (value === undefined) return [];
  return typeof value === 'string' ? [value] : [...value];
}

/** The single string fields of a form, to put back into its inputs. */
export function valuesOf<K extends string>(body: FormBody, names: readonly K[]): Record<K, string> {
  const values: Partial<Record<K, string>> = {};
  for (const name of names) values[name] = one(body, name);
  return values as Record<K, string>; // every name was just set
}

/**
 * The field errors a form shows again, with the service's field names (`price.amount`,
 * `ai_disclosure.tier`, `tags.3`) mapped to the form's input names.
 */
export function formErrorsOf(
  error: unknown,
  rename: Readonly<Record<string, string>> = {},
): { status: number; errors: FieldErrors } | undefined {
  let found: { status: number; errors: FieldErrors } | undefined;
  if (error instanceof ZodError) found = { status: 422, errors: zodFieldErrors(error) };
  else if (error instanceof AppError && error.fields && [409, 422].includes(error.status)) {
    found = { status: error.status, errors: error.fields };
  }
  if (!found) return undefined;
  return { status: found.status, errors: renameErrors(found.errors, rename) };
}

export function renameErrors(errors: FieldErrors, rename: Readonly<Record<string, string>>) {
  const renamed: FieldErrors = {};
  for (const [key, message] of Object.entries(errors)) {
    const base = key.replace(/\.\d+$/, '');
    const name = rename[key] ?? rename[base] ?? key.replaceAll('.', '_');
    renamed[name] ??= message;
  }
  return renamed;
}

/**
 * After a change: 303 for a plain form. htmx would follow a 303 and swap the next page into the
 * form's target, so it gets HX-Redirect (a full page load) instead.
 */
export function seeOther(request: FastifyRequest, reply: FastifyReply, url: string): FastifyReply {
  if (request.headers['hx-request'] === 'true') {
    return reply.header('hx-redirect', url).status(204).send();
  }
  return reply.redirect(url, 303);
}

/** "3:05", "1:02:03" or "95" → seconds; undefined when it is none of those. */
export function parseTimestamp(text: string): number | undefined {
  const match = /^(?:(?:(\d{1,2}):)?(\d{1,3}):)?(\d{1,6})$/.exec(text.trim());
  if (!match?.[3]) return undefined;
  const [hours, minutes, seconds] = [match[1], match[2], match[3]].map((v) => Number(v ?? 0));
  if (match[2] !== undefined && (seconds ?? 0) >= 60) return undefined;
  if (match[1] !== undefined && (minutes ?? 0) >= 60) return undefined;
  return (hours ?? 0) * 3600 + (minutes ?? 0) * 60 + (seconds ?? 0);
}

/** 185 → "3:05"; 3723 → "1:02:03". */
export function formatTimestamp(total: number): string {
  const hours = Math.floor(total / 3600);
  const minutes = Math.floor((total % 3600) / 60);
  const seconds = String(total % 60).padStart(2, '0');
  return hours > 0
    ? `${hours}:${String(minutes).padStart(2, '0')}:${seconds}`
    : `${minutes}:${seconds}`;
}

/** "music/ambient, field-recordings" → ["music/ambient", "field-recordings"]. */
export function splitTags(text: string): string[] {
  return text
    .split(',')
    .map((tag) => tag.trim())
    .filter((tag) => tag !== '');
}
