// Which requests may read from the read replica (DATABASE_READ_URL; db/read-replica.ts), and
// read-your-writes for the others. Registered only when a replica is configured.
//
// A request may when it is a GET or HEAD of a public read (REPLICA_ROUTES: pages, search,
// feeds and the public API reads, the same kind of answer the page cache may keep), and it
// carries no Authorization header, no session cookie and no read-your-writes marker: an
// anonymous visitor sees what everyone sees, at most the replica's lag bound old.
// Everyone else reads from the primary: a signed-in visitor (a creator sees their own drafts
// and changes at once), a token, and for a while anyone who just sent a state-changing request
// (the marker below), so that a change is visible to whoever made it from the moment its
// answer arrives, even after signing out.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { allowReplicaReads } from '../request-scope.js';

/** The route templates whose anonymous reads may come from the replica. */
export const REPLICA_ROUTES: readonly string[] = [
  '/',
  '/discover',
  '/tags/*',
  '/search',
  '/search/suggest',
  '/@:handle',
  '/@:handle/:project',
  '/@:handle/:project/:item',
  '/@:handle/:project/feed.xml',
  '/i/:id',
  '/api/v1/search',
  '/api/v1/search/suggest',
  '/api/v1/items/:id',
  '/api/v1/items/:id/versions',
  '/api/v1/items/:id/chapters',
  '/api/v1/items/:id/bundle',
  '/api/v1/projects/:id',
  '/api/v1/projects/:id/items',
  '/api/v1/creators/:handle',
  '/api/v1/tags',
];

/** Set on the answer to every state-changing request; its reads stay on the primary. */
export const WROTE_COOKIE = 'mnw_wrote';

export interface ReplicaReadsOptions {
  /** the session cookie's name: its holder reads from the primary */
  sessionCookieName: string;
  /** how long after a write its writer keeps reading from the primary */
  markerSeconds: number;
  secureCookies: boolean;
}

const READS = new Set(['GET', 'HEAD']);
const routes = new Set(REPLICA_ROUTES);

function hasCookie(header: string | undefined, name: string): boolean {
  if (header === undefined) return false;
  for (const part of header.split(';')) {
    if (part.trimStart().startsWith(`${name}=`)) return true;
  }
  return false;
}

export function mayReadFromReplica(request: FastifyRequest, sessionCookieName: string): boolean {
  if (!READS.has(request.method) || request.headers.authorization !== undefined) return false;
  if (!routes.has(request.routeOptions.url ?? '')) return false;
  const cookies = request.headers.cookie;
  return !hasCookie(cookies, sessionCookieName) && !hasCookie(cookies, WROTE_COOKIE);
}

async function replicaReads(app: FastifyInstance, opts: ReplicaReadsOptions) {
  const marker =
    `${WROTE_COOKIE}=1; Max-Age=${opts.markerSeconds}; Path=/; HttpOnly; SameSite=Lax` +
    (opts.secureCookies ? '; Secure' : '');
  app.addHook('onRequest', (request, reply, done) => {
    if (mayReadFromReplica(request, opts.sessionCookieName)) {
      allowReplicaReads();
    } else if (!READS.has(request.method) && request.method !== 'OPTIONS') {
      // whatever the outcome: a write that failed halfway is still a write to see
      reply.header('set-cookie', marker);
    }
    done();
  });
}

export default fp(replicaReads, { name: 'replica-reads', dependencies: ['request-context'] });
