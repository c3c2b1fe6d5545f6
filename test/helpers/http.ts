// A tiny cookie-keeping client over app.inject(), for tests that act like one browser or script.
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';

export interface Jar {
  cookies: Map<string, string>;
  /** each jar is its own client: its own address, as rate limits see it (via the trusted proxy) */
  ip: string;
}

export function newJar(): Jar {
  const octet = () => 1 + Math.floor(Math.random() * 254);
  return { cookies: new Map(), ip: `10.${octet()}.${octet()}.${octet()}` };
}

function storeCookies(jar: Jar, response: LightMyRequestResponse) {
  for (const cookie of response.cookies) {
    const expired =
      cookie.maxAge === 0 ||
      (cookie.expires !== undefined && cookie.expires.getTime() < Date.now());
    if (expired || cookie.value === '') jar.cookies.delete(cookie.name);
    else jar.cookies.set(cookie.name, cookie.value);
  }
}

export interface RequestOptions {
  method?: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';
  url: string;
  json?: unknown;
  form?: Record<string, string>;
  /** multipart/form-data: the fields first, then the file, as a browser sends a form */
  multipart?: { fields?: Record<string, string>; file?: MultipartFile };
  headers?: Record<string, string>;
}

export interface MultipartFile {
  field: string;
  filename: string;
  contentType: string;
  body: Buffer;
}

function multipartPayload(parts: NonNullable<RequestOptions['multipart']>) {
  const boundary = `----makenot-test-${Math.random().toString(16).slice(2)}`;
  const chunks: Buffer[] = [];
  for (const [name, value] of Object.entries(parts.fields ?? {})) {
    chunks.push(
      Buffer.from(
        `--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`,
      ),
    );
  }
  if (parts.file) {
    const { field, filename, contentType, body } = parts.file;
    chunks.push(
      Buffer.from(
        `--${boundary}\r\nContent-Disposition: form-data; name="${field}"; filename="${filename}"\r\n` +
          `Content-Type: ${contentType}\r\n\r\n`,
      ),
      body,
      Buffer.from('\r\n'),
    );
  }
  chunks.push(Buffer.from(`--${boundary}--\r\n`));
  return { contentType: `multipart/form-data; boundary=${boundary}`, body: Buffer.concat(chunks) };
}

export async function send(app: FastifyInstance, jar: Jar, options: RequestOptions) {
  const headers: Record<string, string> = { 'x-forwarded-for': jar.ip, ...options.headers };
  if (jar.cookies.size > 0) {
    headers.cookie = [...jar.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  }
  let payload: string | Buffer | undefined;
  if (options.multipart !== undefined) {
    const built = multipartPayload(options.multipart);
    headers['content-type'] = built.contentType;
    payload = built.body;
  } else if (options.json !== undefined) {
    headers['content-type'] = 'application/json';
    payload = JSON.stringify(options.json);
  } else if (options.form !== undefined) {
    headers['content-type'] = 'application/x-www-form-urlencoded';
    payload = new URLSearchParams(options.form).toString();
  }
  const response = await app.inject({
    method: options.method ?? (payload === undefined ? 'GET' : 'POST'),
    url: options.url,
    headers,
    ...(payload !== undefined && { payload }),
  });
  storeCookies(jar, response);
  return response;
}

/** The CSRF token for the jar's session, as a browser script would fetch it. */
export async function csrfFor(app: FastifyInstance, jar: Jar): Promise<string> {
  const response = await send(app, jar, { url: '/api/v1/auth/csrf' });
  return response.json<{ token: string }>().token;
}
