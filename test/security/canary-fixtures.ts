// The canary walk's world: the canary creator's catalogue (canary-catalogue.ts), another creator
// with a paid item and a tier, and the viewers, made through the real API and the local
// processor's checkout: a signed-in non-buyer (session and read-only token) and a fan of the
// other creator (bought there, member there), walked besides a stranger; and for the positive
// checks the owner, a buyer of every paid canary and a member of the canary tier.
import type { TestApp } from '../helpers/app.js';
import { newJar, send } from '../helpers/http.js';
import {
  call,
  signUpCreator,
  signUpFan,
  type Creator,
} from '../../src/modules/catalog/catalog.test-helpers.js';
import { join, makeTier } from '../../src/modules/memberships/memberships.test-helpers.js';
import {
  payOnLocalPage,
  publishedItem,
  settledStatus,
  type CheckoutBody,
} from '../../src/modules/payments/payments.test-helpers.js';
import { makeCatalogue, TAG_PATHS, type Catalogue } from './canary-catalogue.js';
import type { Secret } from './canary-detect.js';
import { BOGUS_ID, type Known } from './canary-routes.js';

export interface Viewer {
  name: string;
  /** headers sent with every request (cookie or bearer token) */
  headers: Record<string, string>;
  /** a bearer token is for the API: pages are walked with the session viewers */
  apiOnly?: boolean;
}

export interface Fixtures extends Catalogue {
  secrets: Secret[];
  known: Known;
  /** walked: a stranger, the non-buyer (session, token), the other creator's fan */
  viewers: Viewer[];
  owner: Viewer;
  buyer: Viewer;
  member: Viewer;
  /** the walked viewers' addresses, for their mail */
  viewerEmails: string[];
}

const cookieOf = (user: Creator) =>
  [...user.jar.cookies].map(([name, value]) => `${name}=${value}`).join('; ');
const session = (name: string, user: Creator): Viewer => ({
  name,
  headers: { cookie: cookieOf(user) },
});

async function readToken(t: TestApp, user: Creator): Promise<string> {
  const res = await send(t.app, newJar(), {
    url: '/api/v1/auth/tokens',
    json: { email: user.email, password: user.password, name: 'canary', scopes: ['read'] },
  });
  if (res.statusCode !== 201) throw new Error(`token: ${res.statusCode} ${res.body}`);
  return res.json<{ token: string }>().token;
}

/** Checkout and pay on the local page: the order, its session id and where paying led. */
async function buy(t: TestApp, fan: Creator, body: Record<string, unknown>) {
  const res = await call(t.app, fan, 'POST', '/checkout', body);
  if (res.statusCode !== 201) throw new Error(`checkout: ${res.statusCode} ${res.body}`);
  const { order, checkout_url } = res.json<CheckoutBody>();
  if (!checkout_url) throw new Error('no checkout url');
  const paid = await payOnLocalPage(t.app, fan.jar, checkout_url, 'succeeded', fan.csrf);
  if ((await settledStatus(t.runtime.db, order.id)) !== 'paid') throw new Error('not paid');
  const sessionId = new URL(checkout_url).pathname.split('/').at(-1) ?? '';
  return { orderId: order.id, sessionId, location: paid.headers.location ?? '' };
}

function secretsOf(c: Catalogue): Secret[] {
  return [
    { label: `CANARY-${c.run} (any marker of the run)`, text: `CANARY-${c.run}` },
    ...c.canaries.flatMap((item) => [
      { label: `${item.name}: marker`, text: item.marker },
      { label: `${item.name}: its random part`, text: item.marker.split('-').at(-1) ?? '?' },
      { label: `${item.name}: paid word`, text: item.paidWord },
    ]),
  ];
}

/** Image sizes (`640.webp`) of the project's cover, and the assets the home page links. */
async function filesOf(t: TestApp, c: Catalogue) {
  const project = (await call(t.app, c.creator, 'GET', `/projects/${c.project.id}`)).json<{
    project: { cover: { srcset: string } | null };
  }>().project;
  const srcset = project.cover?.srcset ?? '';
  const imageFiles = [...srcset.matchAll(/\/(\d+\.webp) /g)].map((match) => match[1] ?? '');
  const home = (await send(t.app, newJar(), { url: '/' })).body;
  const assets = [...home.matchAll(/\/assets\/([^"'?#\s]+)/g)].map((match) => match[1] ?? '');
  return { imageFiles, assetPaths: [...new Set(assets)] };
}

export async function makeFixtures(
  t: TestApp,
  hasRoute: (method: string, url: string) => boolean,
): Promise<Fixtures> {
  const c = await makeCatalogue(t, hasRoute);
  const other = await signUpCreator(t.app);
  const otherItem = await publishedItem(t.app, other, { model: 'fixed', amount: 900 });
  const otherTier = await makeTier(t.app, other, otherItem.project_id);
  const [nonBuyer, fan, buyer, member] = [
    await signUpFan(t.app),
    await signUpFan(t.app),
    await signUpFan(t.app),
    await signUpFan(t.app),
  ];
  const fanOrder = await buy(t, fan, { item_id: otherItem.id });
  const fanMembership = await join(t.app, t.runtime.db, fan, otherTier.id);
  const bought = [];
  for (const item of c.canaries.filter((i) => !/Members|post/.test(i.name))) {
    const pwyw = item.name.startsWith('Pay what') ? { amount: 200 } : {};
    bought.push(await buy(t, buyer, { item_id: item.id, ...pwyw }));
  }
  const membership = await join(t.app, t.runtime.db, member, c.tierId);
  if (hasRoute('PUT', '/api/v1/me/follows/:handle')) {
    for (const viewer of [nonBuyer, fan]) {
      await call(t.app, viewer, 'PUT', `/me/follows/${c.creator.handle}`);
    }
    c.notes.push('follows: the non-buyer and the other fan follow the canary creator');
  }

  const ids = [
    ...[...c.canaries, c.free].map((item) => item.id),
    ...[c.project.id, c.creator.id, c.file.id, c.tierId, ...c.imageIds],
    ...[otherItem.id, otherItem.project_id, other.id, otherTier.id],
    ...[fanOrder.orderId, fanMembership.order.id, fanMembership.membership.id],
    ...[membership.order.id, membership.membership.id, ...bought.map((b) => b.orderId)],
  ];
  const fanClaim = /\/claim\/([^/?#]+)/.exec(fanOrder.location)?.[1];
  const known: Known = {
    ids,
    otherIds: [fanOrder.sessionId, ...bought.map((b) => b.sessionId)],
    handles: [c.creator.handle, c.creator.handle.toUpperCase(), other.handle],
    projectSlugs: [c.project.slug],
    itemSlugs: [...c.canaries.filter((i) => !i.name.endsWith('post')).map((i) => i.slug), c.free.slug], // prettier-ignore
    postSlugs: c.postSlugs,
    // the fan's own (valid) claim link and a forged one for a canary purchase; a canary buyer's
    // real link opens the purchase for whoever holds it, by design, so it is not walked
    claimTokens: [...(fanClaim ? [fanClaim] : []), `${bought[0]?.orderId ?? BOGUS_ID}.${'A'.repeat(43)}`], // prettier-ignore
    tagPaths: TAG_PATHS,
    storageKeys: [c.file.key],
    ...(await filesOf(t, c)),
  };
  const token = await readToken(t, nonBuyer);
  return {
    ...c,
    secrets: secretsOf(c),
    known,
    viewers: [
      { name: 'stranger', headers: {} },
      session('signed-in non-buyer', nonBuyer),
      { name: 'non-buyer read token', headers: { authorization: `Bearer ${token}` }, apiOnly: true }, // prettier-ignore
      session("another creator's fan", fan),
    ],
    owner: session('owner', c.creator),
    buyer: session('buyer', buyer),
    member: session('member', member),
    viewerEmails: [nonBuyer.email, fan.email],
  };
}
