// The session and device cookies. `__Host-` and Secure when PUBLIC_URL is https; always
// HttpOnly and SameSite=Lax; path / and no Domain, so no subdomain can read or set them.
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Config } from '../../config.js';
import { randomToken } from '../../platform/secrets.js';

export function sessionCookieName(config: Pick<Config, 'secureCookies'>): string {
  return config.secureCookies ? '__Host-mnw_session' : 'mnw_session';
}

const DEVICE_COOKIE = 'mnw_device';
const DEVICE_MAX_AGE_S = 400 * 24 * 3600; // the longest browsers keep a cookie

export function setSessionCookie(
  reply: FastifyReply,
  config: Config,
  token: string,
  expiresAt: Date,
) {
  reply.setCookie(sessionCookieName(config), token, {
    path: '/',
    httpOnly: true,
    sameSite: 'lax',
    secure: config.secureCookies,
    expires: expiresAt,
  });
}

export function clearSessionCookie(reply: FastifyReply, config: Config) {
  reply.clearCookie(sessionCookieName(config), {
    path: '/',
    httpOnly: true,
    sameSite: 'lax',
    secure: config.secureCookies,
  });
}

/** The browser's device id from its signed cookie, if it has a valid one. */
export function readDeviceId(request: FastifyRequest): string | undefined {
  const raw = request.cookies[DEVICE_COOKIE];
  if (!raw) return undefined;
  const unsigned = request.unsignCookie(raw);
  return unsigned.valid && unsigned.value ? unsigned.value : undefined;
}

/** Gives the browser a device id if it has none; returns it. */
export function ensureDeviceId(
  request: FastifyRequest,
  reply: FastifyReply,
  config: Config,
): string {
  const existing = readDeviceId(request);
  if (existing) return existing;
  const id = randomToken(16);
  reply.setCookie(DEVICE_COOKIE, id, {
    path: '/',
    httpOnly: true,
    sameSite: 'lax',
    secure: config.secureCookies,
    signed: true,
    maxAge: DEVICE_MAX_AGE_S,
  });
  return id;
}
