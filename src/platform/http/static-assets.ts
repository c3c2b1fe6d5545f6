// Fingerprinted static assets under /assets/. Every file of src/public/ (and the pinned htmx
// build) is read and hashed once at startup; it is served only at /assets/<name>.<hash>.<ext>
// and cached for a year, so a deploy changes the URL instead of waiting for caches to expire.
// Every instance computes the same hashes from the same files: no shared state is needed.
// An old or unknown hash is a 404, never a different version of the file under an old URL.
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';

export const ASSET_PREFIX = '/assets/';
const IMMUTABLE = 'public, max-age=31536000, immutable';

export interface Asset {
  /** logical name used by views, e.g. `styles.css`, `htmx.js`, `vendor/player.js` */
  name: string;
  /** the fingerprinted URL, e.g. `/assets/styles.3f9a0c1b2d.css` */
  url: string;
  body: Buffer;
  contentType: string;
  etag: string;
}

const CONTENT_TYPES: Record<string, string> = {
  '.css': 'text/css; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml; charset=utf-8',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.webp': 'image/webp',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.txt': 'text/plain; charset=utf-8',
  '.webmanifest': 'application/manifest+json; charset=utf-8',
};

export const PUBLIC_DIR = fileURLToPath(new URL('../../public/', import.meta.url));

/** The pinned htmx build, served from our origin (no CDN) under the name `htmx.js`. */
function htmxSource(): string {
  return createRequire(import.meta.url).resolve('htmx.org/dist/htmx.min.js');
}

function listFiles(dir: string, prefix = ''): { name: string; file: string }[] {
  return readdirSync(dir, { withFileTypes: true })
    .filter((entry) => !entry.name.startsWith('.'))
    .flatMap((entry) => {
      const name = prefix + entry.name;
      const file = path.join(dir, entry.name);
      return entry.isDirectory() ? listFiles(file, `${name}/`) : [{ name, file }];
    });
}

function fingerprint(name: string, body: Buffer): Asset {
  const digest = createHash('sha256').update(body).digest('hex');
  const ext = path.posix.extname(name);
  const base = name.slice(0, name.length - ext.length);
  return {
    name,
    url: `${ASSET_PREFIX}${base}.${digest.slice(0, 10)}${ext}`,
    body,
    contentType: CONTENT_TYPES[ext.toLowerCase()] ?? 'application/octet-stream',
    etag: `"${digest.slice(0, 32)}"`,
  };
}

/**
 * htmx's min build ends with a sourceMappingURL comment for a file we do not serve; dropping it
 * keeps browser consoles free of 404 noise.
 */
function stripSourceMap(body: Buffer): Buffer {
  return Buffer.from(body.toString('utf8').replace(/\n?\/\/# sourceMappingURL=\S+\s*$/, '\n'));
}

export interface AssetManifest {
  byName: ReadonlyMap<string, Asset>;
  byUrl: ReadonlyMap<string, Asset>;
}

/** SimpleWebAuthn's browser bundle (its package exports hide the path, so find it by hand). */
/** tus-js-client's browser bundle (window.tus), for the dashboard's resumable uploads. */
function tusSource(): string {
  const entry = createRequire(import.meta.url).resolve('tus-js-client/package.json');
  return path.join(path.dirname(entry), 'dist', 'tus.min.js');
}

function webauthnSource(): string {
  const entry = createRequire(import.meta.url).resolve('@simplewebauthn/browser');
  return path.join(path.dirname(entry), '..', 'dist', 'bundle', 'index.umd.min.js');
}

const PARTIALS = 'css/';

export function buildAssetManifest(publicDir = PUBLIC_DIR): AssetManifest {
  const files = listFiles(publicDir);
  // Feature stylesheets in css/ are appended to styles.css: one request, one cache entry,
  // while each area of the app keeps its rules in its own file.
  const partials = files
    .filter((f) => f.name.startsWith(PARTIALS) && f.name.endsWith('.css'))
    .sort((a, b) => a.name.localeCompare(b.name));
  const read = (name: string, file: string) =>
    name === 'styles.css'
      ? Buffer.concat([readFileSync(file), ...partials.map((p) => readFileSync(p.file))])
      : readFileSync(file);
  const assets = files
    .filter((f) => !partials.includes(f))
    .map(({ name, file }) => fingerprint(name, read(name, file)));
  assets.push(fingerprint('htmx.js', stripSourceMap(readFileSync(htmxSource()))));
  assets.push(fingerprint('webauthn.js', stripSourceMap(readFileSync(webauthnSource()))));
  assets.push(fingerprint('tus.js', stripSourceMap(readFileSync(tusSource()))));
  return {
    byName: new Map(assets.map((asset) => [asset.name, asset])),
    byUrl: new Map(assets.map((asset) => [asset.url, asset])),
  };
}

// Built on first use (a view rendering or the plugin registering), then fixed for the life of
// the process: the files only change with a deploy, which restarts it.
let manifest: AssetManifest | undefined;

export function getAssetManifest(): AssetManifest {
  manifest ??= buildAssetManifest();
  return manifest;
}

/** The fingerprinted URL of a public asset. An unknown name is a programming error. */
export function assetUrl(name: string): string {
  const asset = getAssetManifest().byName.get(name);
  if (!asset) throw new Error(`unknown asset: ${name}`);
  return asset.url;
}

function matchesEtag(header: string | undefined, etag: string): boolean {
  if (!header) return false;
  return header === '*' || header.split(',').some((tag) => tag.trim().replace(/^W\//, '') === etag);
}

function serveAsset(manifestToServe: AssetManifest) {
  return async (request: FastifyRequest, reply: FastifyReply) => {
    // The raw path (without query string) is the key; anything else is not ours.
    const pathname = request.url.split('?', 1)[0] ?? '';
    const asset = manifestToServe.byUrl.get(pathname);
    if (!asset) {
      reply.callNotFound();
      return reply;
    }
    reply
      .header('cache-control', IMMUTABLE)
      .header('etag', asset.etag)
      .header('x-content-type-options', 'nosniff');
    if (matchesEtag(request.headers['if-none-match'], asset.etag)) {
      return reply.code(304).send();
    }
    return reply.type(asset.contentType).send(asset.body);
  };
}

export interface StaticAssetsOptions {
  /** for tests: serve another folder instead of src/public/ */
  publicDir?: string;
}

// Callback style: registration reads files synchronously and has nothing to await.
function staticAssets(
  app: FastifyInstance,
  opts: StaticAssetsOptions,
  done: (err?: Error) => void,
) {
  const served = opts.publicDir ? buildAssetManifest(opts.publicDir) : getAssetManifest();
  app.get(`${ASSET_PREFIX}*`, serveAsset(served));
  done();
}

export default fp(staticAssets, { name: 'static-assets' });
