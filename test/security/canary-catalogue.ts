// The canary creator's catalogue, made through the real API: one project (cover, tags, a
// membership tier) holding paid, pay-what-you-want, members-only and paid-download items, each
// with its own marker after the paywall divider, one with its marker deep in a long text and no
// divider (a generated teaser must stop short of it), a free item as the control, and, once
// posts exist, a paid and a members-only post.
import { randomUUID } from 'node:crypto';
import type { TestApp } from '../helpers/app.js';
import {
  call,
  makeItem,
  makeProject,
  signUpCreator,
  type Creator,
  type ProjectBody,
} from '../../src/modules/catalog/catalog.test-helpers.js';
import { publish, uploadCover } from '../../src/modules/catalog/public.test-helpers.js';
import { makeTier } from '../../src/modules/memberships/memberships.test-helpers.js';
import { randomHex, randomWord } from './canary-detect.js';

export const FREE_OPENING = 'The lighthouse stood at the end of the breakwater, white and patient.';
export const TAG_PATHS = ['writing', 'writing/essays', 'sea'];
const TAGS = ['writing/essays', 'sea'];

export interface CanaryItem {
  name: string;
  id: string;
  slug: string;
  marker: string;
  /** a word found only in the paid part of the text */
  paidWord: string;
}

export interface Catalogue {
  /** the random part every marker of this run starts with */
  run: string;
  creator: Creator;
  project: ProjectBody;
  tierId: string;
  canaries: CanaryItem[];
  /** everybody reads it, so the walk must see its marker (it sees bodies at all) */
  free: { id: string; slug: string; marker: string };
  /** the paid download's file: its bytes carry the "Paid download" marker */
  file: { id: string; itemId: string; key: string };
  /** a unique word in the canary titles: searching it finds them (search works) */
  titleWord: string;
  imageIds: string[];
  postSlugs: string[];
  notes: string[];
}

/** The paid part: the marker in a paragraph, a heading, a list, a quote, a link and code. */
function paidPart(marker: string, word: string): string {
  return [
    `${marker} ${word} and the keeper wrote down every ship that passed in the night.`,
    `## ${marker} The log`,
    `- ${marker} first entry\n- second entry, ${word}`,
    `> ${marker} a quoted line from the log`,
    `Read [${marker} more](https://example.com/${marker}) or run \`${marker}\`.`,
    `${marker} The last paragraph of the paid part.`,
  ].join('\n\n');
}

const divided = (marker: string, word: string) =>
  `${FREE_OPENING}\n\nA second free paragraph.\n\n<!-- paywall -->\n\n${paidPart(marker, word)}`;

/** About 3,000 characters of prose before the paid part, and no divider. */
function long(marker: string, word: string): string {
  const sentence =
    'Waves folded over the rocks and the lamp turned slowly above the harbour while gulls argued. ';
  const paragraphs = Array.from({ length: 8 }, (_, i) => `Part ${i + 1}. ${sentence.repeat(4)}`);
  return `${paragraphs.join('\n\n')}\n\n${paidPart(marker, word)}`;
}

type Body = (marker: string, word: string) => string;

interface Maker {
  t: TestApp;
  creator: Creator;
  project: ProjectBody;
  marker: () => string;
  titleWord: string;
}

async function canaryText(m: Maker, name: string, price: Record<string, unknown>, body: Body) {
  const marker = m.marker();
  const paidWord = randomWord('zorbl');
  const cover = await uploadCover(m.t, m.creator);
  const made = await makeItem(m.t.app, m.creator, m.project.id, {
    title: `${name} ${m.titleWord}`,
    description: 'An essay about the harbour light.',
    body: body(marker, paidWord),
    ai_disclosure: { tier: 'handmade' },
    price,
    tags: TAGS,
    cover_image_id: cover,
  });
  const item = await publish(m.t, m.creator, made);
  return { canary: { name, id: item.id, slug: item.slug, marker, paidWord }, cover };
}

/** A published paid download whose (stand-in) file is stored, ready, and carries the marker. */
async function paidDownload(m: Maker) {
  const marker = m.marker();
  const paidWord = randomWord('zorbl');
  const item = await makeItem(m.t.app, m.creator, m.project.id, {
    type: 'digital',
    title: `The keeper log ${m.titleWord}`,
    body: divided(marker, paidWord),
    ai_disclosure: { tier: 'handmade' },
    price: { model: 'fixed', amount: 300 },
  });
  const key = `test/${randomUUID()}.txt`;
  const bytes = Buffer.from(`The whole log. ${marker}\n`);
  await m.t.runtime.storage.put(key, bytes, { contentType: 'text/plain' });
  const file = await m.t.runtime.db
    .insertInto('files')
    .values({
      item_id: item.id,
      creator_id: m.creator.id,
      status: 'ready',
      kind: 'other',
      original_name: 'log.txt',
      mime: 'text/plain',
      size: bytes.length,
      original_key: key,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  await publish(m.t, m.creator, item);
  const canary = { name: 'Paid download', id: item.id, slug: item.slug, marker, paidWord };
  return { canary, file: { id: file.id, itemId: item.id, key } };
}

/** Once posts exist (API.md "Audience"): a paid and a members-only post, mailed. */
async function canaryPosts(m: Maker): Promise<{ canaries: CanaryItem[]; slugs: string[] }> {
  const canaries: CanaryItem[] = [];
  for (const visibility of ['paid', 'members']) {
    const marker = m.marker();
    const paidWord = randomWord('zorbl');
    const res = await call(m.t.app, m.creator, 'POST', `/projects/${m.project.id}/posts`, {
      title: `A ${visibility} post ${m.titleWord}`,
      body: divided(marker, paidWord),
      visibility,
      email: true,
    });
    if (res.statusCode !== 201) throw new Error(`post: ${res.statusCode} ${res.body}`);
    const post = res.json<{ post: { id: string; slug?: string } }>().post;
    const published = await call(m.t.app, m.creator, 'POST', `/posts/${post.id}/publish`);
    if (published.statusCode !== 200) throw new Error(`publish post: ${published.body}`);
    canaries.push({ name: `${visibility} post`, id: post.id, slug: post.slug ?? '', marker, paidWord }); // prettier-ignore
  }
  return { canaries, slugs: canaries.map((c) => c.slug).filter((slug) => slug !== '') };
}

export async function makeCatalogue(
  t: TestApp,
  hasRoute: (method: string, url: string) => boolean,
): Promise<Catalogue> {
  const run = randomHex(4);
  const titleWord = randomWord('beacon');
  const creator = await signUpCreator(t.app);
  const cover = await uploadCover(t, creator);
  const project = await makeProject(t.app, creator, {
    title: 'Harbour Light',
    description: 'Essays from the breakwater.',
    cover_image_id: cover,
  });
  const tier = await makeTier(t.app, creator, project.id);
  const m: Maker = {
    t,
    creator,
    project,
    titleWord,
    marker: () => `CANARY-${run}-${randomHex(8)}`,
  };
  const texts = [
    await canaryText(m, 'Paid essay', { model: 'fixed', amount: 500 }, divided),
    await canaryText(m, 'Long paid essay', { model: 'fixed', amount: 700 }, long),
    await canaryText(m, 'Members essay', { model: 'members' }, divided),
    await canaryText(m, 'Pay what you want essay', { model: 'pwyw', minimum: 200 }, divided),
  ];
  const download = await paidDownload(m);
  const freeMarker = `OPEN-${randomHex(8)}`;
  const free = await makeItem(t.app, creator, project.id, {
    title: `Free note ${titleWord}`,
    body: `Anyone may read this. ${freeMarker}`,
    ai_disclosure: { tier: 'handmade' },
    price: { model: 'free' },
    tags: TAGS,
  });
  await publish(t, creator, free);
  const posts = hasRoute('POST', '/api/v1/projects/:id/posts')
    ? await canaryPosts(m)
    : { canaries: [], slugs: [] };
  return {
    run,
    creator,
    project,
    tierId: tier.id,
    canaries: [...texts.map((x) => x.canary), download.canary, ...posts.canaries],
    free: { id: free.id, slug: free.slug, marker: freeMarker },
    file: download.file,
    titleWord,
    imageIds: [cover, ...texts.map((x) => x.cover)],
    postSlugs: posts.slugs,
    notes: [
      posts.canaries.length > 0
        ? 'posts: a paid and a members-only post were made and mailed'
        : 'posts: not in this app yet (made once POST /api/v1/projects/:id/posts exists)',
    ],
  };
}
