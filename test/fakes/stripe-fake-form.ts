// Part of the FAKE Stripe server for tests (stripe-fake-server.ts): Stripe's form encoding as
// the SDK sends it, and Stripe's error answers.
import { randomBytes } from 'node:crypto';

export type Form = { [key: string]: FormValue };
export type FormValue = string | Form | FormValue[];

export type Json = Record<string, unknown>;

export interface Stored {
  /** the object as Stripe answers it */
  object: Json;
  /** the parameters it was created with, parsed from the form */
  params: Form;
  idempotencyKey: string | undefined;
}

export class StripeFail extends Error {
  constructor(
    readonly status: number,
    readonly body: { type: string; message: string; code?: string; param?: string },
  ) {
    super(body.message);
  }
}

export const missing = (what: string, id: string, param?: string) =>
  new StripeFail(404, {
    type: 'invalid_request_error',
    code: 'resource_missing',
    message: `No such ${what}: '${id}'`,
    ...(param && { param }),
  });

export const token = (n = 14) =>
  randomBytes(n).toString('base64url').replace(/[-_]/g, 'x').slice(0, n);
export const now = () => Math.floor(Date.now() / 1000);

/** Parses `a[b][0][c]=v` pairs (Stripe's encoding) into nested objects and arrays. */
export function parseForm(text: string): Form {
  const root: Form = {};
  for (const [key, value] of new URLSearchParams(text)) {
    const parts = key.split('[').map((part) => part.replace(/]$/, ''));
    let node: Form = root;
    parts.forEach((part, i) => {
      if (i === parts.length - 1) {
        node[part] = value;
        return;
      }
      const next = node[part];
      const child: Form = typeof next === 'object' && !Array.isArray(next) ? next : {};
      node[part] = child;
      node = child;
    });
  }
  return arrays(root) as Form;
}

function arrays(value: FormValue): FormValue {
  if (typeof value === 'string' || Array.isArray(value)) return value;
  const keys = Object.keys(value);
  const mapped = Object.fromEntries(keys.map((k) => [k, arrays(value[k] ?? '')]));
  if (keys.length > 0 && keys.every((k) => /^\d+$/.test(k))) {
    return keys.sort((a, b) => Number(a) - Number(b)).map((k) => mapped[k] ?? '');
  }
  return mapped;
}

export function form(value: FormValue | undefined): Form {
  return typeof value === 'object' && !Array.isArray(value) ? value : {};
}
export function text(value: FormValue | undefined): string | undefined {
  return typeof value === 'string' ? value : undefined;
}
export function int(value: FormValue | undefined, param: string): number {
  const n = Number(text(value));
  if (!Number.isInteger(n)) {
    throw new StripeFail(400, {
      type: 'invalid_request_error',
      param,
      message: `Invalid ${param}`,
    });
  }
  return n;
}
