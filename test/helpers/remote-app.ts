// The test helpers (send, signUp, signUpCreator, publishedItem, …) drive `app.inject()`. This
// gives them a real HTTP server instead: each inject is a fetch to the base URL of the moment,
// so one helper call can go to a process, through Caddy, or alternate between instances.
import type { FastifyInstance, InjectOptions } from 'fastify';

export interface RemoteCookie {
  name: string;
  value: string;
  maxAge?: number;
  expires?: Date;
}

export interface RemoteResponse {
  statusCode: number;
  body: string;
  headers: Record<string, string>;
  cookies: RemoteCookie[];
  json(): unknown;
}

function parseCookie(header: string): RemoteCookie {
  const [pair = '', ...attributes] = header.split(';').map((part) => part.trim());
  const eq = pair.indexOf('=');
  const cookie: RemoteCookie = { name: pair.slice(0, eq), value: pair.slice(eq + 1) };
  for (const attribute of attributes) {
    const [key = '', value = ''] = attribute.split('=');
    if (key.toLowerCase() === 'max-age') cookie.maxAge = Number(value);
    if (key.toLowerCase() === 'expires') cookie.expires = new Date(value);
  }
  return cookie;
}

async function inject(baseUrl: string, options: InjectOptions): Promise<RemoteResponse> {
  const headers = new Headers();
  for (const [key, value] of Object.entries(options.headers ?? {})) {
    if (typeof value === 'string') headers.set(key, value);
  }
  const payload = options.payload;
  const response = await fetch(new URL(options.url as string, baseUrl), {
    method: options.method ?? 'GET',
    headers,
    redirect: 'manual',
    signal: AbortSignal.timeout(30_000),
    ...(payload !== undefined && { body: payload as string | Buffer }),
  });
  const body = await response.text();
  const plain: Record<string, string> = {};
  response.headers.forEach((value, key) => (plain[key] = value));
  return {
    statusCode: response.status,
    body,
    headers: plain,
    cookies: response.headers.getSetCookie().map(parseCookie),
    json: () => JSON.parse(body) as unknown,
  };
}

/** A stand-in for FastifyInstance whose inject() is a real HTTP request to baseUrl(). */
export function remoteApp(baseUrl: string | (() => string)): FastifyInstance {
  const base = typeof baseUrl === 'string' ? () => baseUrl : baseUrl;
  const remote = { inject: (options: InjectOptions) => inject(base(), options) };
  return remote as unknown as FastifyInstance;
}
