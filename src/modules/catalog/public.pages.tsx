// Public catalogue pages: /@handle, /@handle/<project>, /@handle/<project>/<item>, /i/<id>,
// /tags/<path>, /discover. Only active creators' work appears; drafts only to their creator.
// Every page has one canonical URL: other spellings (handle case, old project slugs, tag
// forms) answer 301 to it, after the visibility check, so a redirect never reveals a draft.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { notFound } from '../../platform/errors.js';
import { shortenText } from '../../platform/markdown/index.js';
import { render } from '../../platform/views/render.js';
import { safeHtmlOf, textOf } from './rendered-text.js';
import { viewerOf } from '../access/index.js';
import { isUuid } from './catalog.schemas.js';
import type { CreatorProfile } from './profile.service.js';
import type { CatalogDeps } from './projects.service.js';
import { CreatorPage } from './public/creator-page.js';
import { feedPages } from './public/feed.pages.js';
import { kindLabel } from './public/format.js';
import { ItemPage } from './public/item-page.js';
import { isAlbum, itemJsonLd, ogTypeOf, personJsonLd, projectJsonLd } from './public/json-ld.js';
import {
  cursorQuery,
  parseCursor,
  parseParams,
  parseQuery,
  redirectPermanently,
  wantsMore,
} from './public/page-requests.js';
import {
  decodeProjectCursor,
  findPermalinkTarget,
  loadCreatorPage,
  loadItemPage,
  loadProjectPage,
  requireItemPage,
} from './public/pages.service.js';
import { ProjectItems, ProjectPage } from './public/project-page.js';
import { tipFormProps } from './public/tip-form.js';
import { tippedToken, type TipThanksProps } from './public/tip-thanks.js';
import { getViewContext } from '../../platform/views/view-context.js';
import { absoluteUrl, creatorPath, itemPath, projectPath, withQuery } from './public/urls.js';

const handleParams = z.object({ handle: z.string().min(1).max(100) });
// Empty last segments are trailing slashes ("/@mara/"), redirected to the page without one.
const projectParams = handleParams.extend({ project: z.string().max(200) });
const itemParams = projectParams.extend({
  project: z.string().min(1).max(200),
  item: z.string().max(200),
});

/**
 * Whether the viewer is the creator of what the page shows (its pages then offer "Edit"); such
 * an answer is theirs alone, so no shared cache keeps it.
 */
function ownerView(request: FastifyRequest, reply: FastifyReply, creatorId: string): boolean {
  const own = request.principal?.user.id === creatorId;
  if (own) reply.header('cache-control', 'private, no-store');
  return own;
}

export async function publicPages(app: FastifyInstance, { deps }: { deps: CatalogDeps }) {
  const { db, config } = deps;
  const absolute = (path: string) => absoluteUrl(path, config.publicUrl);

  /** The thanks for a tip just paid (?tipped=<token>); that answer is this visitor's alone. */
  async function tipThanksOf(
    request: FastifyRequest,
    reply: FastifyReply,
    creator: CreatorProfile,
  ): Promise<TipThanksProps | undefined> {
    const token = tippedToken(request.query);
    const state = token ? await deps.tipThanks(creator.id, token) : undefined;
    if (!token || !state) return undefined;
    reply.header('cache-control', 'private, no-store');
    const pollUrl = `/tip/${creator.handle}/thanks/${encodeURIComponent(token)}`;
    return { state, displayName: creator.displayName, pollUrl, token };
  }

  app.get('/@:handle', async (request, reply) => {
    const params = parseParams(handleParams, request.params);
    const data = await loadCreatorPage(db, params.handle);
    const { creator } = data;
    const canonical = creatorPath(creator.handle);
    if (creator.handle !== params.handle) return redirectPermanently(reply, canonical);
    const tipThanks = await tipThanksOf(request, reply, creator);
    const image = creator.avatar ? absolute(creator.avatar.largest) : undefined;
    const own = ownerView(request, reply, creator.id);
    return render(reply, {
      title: `${creator.displayName} (@${creator.handle})`,
      description: shortenText(creator.bioText, 200) || `Work by ${creator.displayName}.`,
      meta: {
        canonical: absolute(canonical),
        ogType: 'profile',
        image,
        jsonLd: personJsonLd(creator, absolute(canonical), image),
      },
      body: (
        <CreatorPage
          editHref={own ? '/dashboard/profile' : undefined}
          handle={creator.handle}
          displayName={creator.displayName}
          avatar={creator.avatar}
          safeBioHtml={creator.safeBioHtml}
          links={creator.links}
          tipsEnabled={creator.tipsEnabled}
          tipThanks={tipThanks}
          tip={tipFormProps(creator, {
            signedIn: request.principal !== undefined,
            csrfToken: getViewContext(request).csrfToken,
          })}
          projects={data.projects}
          latest={data.latest}
        />
      ),
    });
  });

  app.get('/@:handle/:project', async (request, reply) => {
    const params = parseParams(projectParams, request.params);
    if (params.project === '') return redirectPermanently(reply, creatorPath(params.handle));
    const { cursor } = parseQuery(cursorQuery, request.query);
    const after = parseCursor(cursor, decodeProjectCursor);
    const items = await loadProjectPage(db, params.handle, params.project, after);
    const { creator, project } = items;
    const canonical = projectPath(creator.handle, project.slug);
    if (project.redirected || creator.handle !== params.handle || project.slug !== params.project) {
      return redirectPermanently(reply, withQuery(canonical, { cursor }));
    }
    const moreHref = items.nextCursor
      ? withQuery(canonical, { cursor: items.nextCursor })
      : undefined;
    if (wantsMore(request, cursor)) {
      return render(reply, {
        title: project.title,
        body: <ProjectItems items={items.cards} moreHref={moreHref} />,
      });
    }
    const own = ownerView(request, reply, creator.id);
    const { cover } = items;
    const image = cover ? absolute(cover.largest) : undefined;
    const tipThanks = await tipThanksOf(request, reply, creator);
    return render(reply, {
      title: `${project.title} by ${creator.displayName}`,
      description:
        textOf(project.description, project.description_text, 200) ||
        `${project.title} by ${creator.displayName}.`,
      meta: {
        canonical: absolute(canonical),
        noindex: after !== undefined,
        ogType: isAlbum(items.rows) ? 'music.album' : 'website',
        image,
        jsonLd: projectJsonLd({
          title: project.title,
          description: project.description,
          descriptionText: project.description_text,
          url: absolute(canonical),
          creator,
          creatorUrl: absolute(creatorPath(creator.handle)),
          image,
          items: items.rows.map((row) => ({
            title: row.title,
            type: row.type,
            url: absolute(itemPath(creator.handle, project.slug, row.slug)),
          })),
        }),
      },
      body: (
        <ProjectPage
          editHref={own ? `/dashboard/projects/${project.id}` : undefined}
          title={project.title}
          cover={cover}
          safeDescriptionHtml={safeHtmlOf(project.description, project.description_html)}
          creatorName={creator.displayName}
          creatorUrl={creatorPath(creator.handle)}
          items={items.cards}
          moreHref={moreHref}
          continued={after !== undefined}
          membershipUrl={
            (await deps.hasMembership(project.id)) ? `${canonical}/membership` : undefined
          }
          tipThanks={tipThanks}
          tip={tipFormProps(
            creator,
            {
              signedIn: request.principal !== undefined,
              csrfToken: getViewContext(request).csrfToken,
            },
            project.id,
          )}
        />
      ),
    });
  });

  // anonymous visitors may get it from the page cache (≤ 1 s old; platform/http/page-cache.ts)
  app.get('/@:handle/:project/:item', { config: { pageCache: true } }, async (request, reply) => {
    const params = parseParams(itemParams, request.params);
    if (params.item === '') {
      return redirectPermanently(reply, projectPath(params.handle, params.project));
    }
    // A departed creator's item opens for those who keep it; the access rule hides it from others.
    const { found, creator, access } = await requireItemPage(
      deps,
      viewerOf(request.principal),
      params,
    );
    const { project, item } = found;
    const canonical = itemPath(creator.handle, project.slug, item.slug);
    if (
      project.redirected ||
      creator.handle !== params.handle ||
      project.slug !== params.project ||
      item.slug !== params.item
    ) {
      return redirectPermanently(reply, canonical);
    }
    const page = await loadItemPage(deps, request.principal, creator, found, access);
    ownerView(request, reply, creator.id);
    const image = page.coverLargest ? absolute(page.coverLargest) : undefined;
    // what only this visitor may see (a draft, a purchase) is never kept by a shared cache
    if (item.status === 'draft' || (access.level === 'full' && access.because === 'holder')) {
      reply.header('cache-control', 'private, no-store');
    }
    return render(reply, {
      title: `${item.title} by ${creator.displayName}`,
      description:
        textOf(item.description, item.description_text, 200) ||
        `${kindLabel(item.type)} by ${creator.displayName}.`,
      meta: {
        canonical: absolute(canonical),
        ogType: ogTypeOf(item.type),
        image,
        imageAlt: image ? `Cover of ${item.title}` : undefined,
        noindex: item.status !== 'published',
        jsonLd: itemJsonLd({
          item,
          creator,
          url: absolute(canonical),
          creatorUrl: absolute(creatorPath(creator.handle)),
          image,
          tags: page.tags,
        }),
      },
      body: <ItemPage {...page} />,
    });
  });

  app.get('/i/:id', async (request, reply) => {
    const { id } = parseParams(z.object({ id: z.string() }), request.params);
    if (!isUuid(id)) throw notFound('item');
    const path = await findPermalinkTarget(deps, viewerOf(request.principal), id);
    return reply.header('cache-control', 'private, no-cache').redirect(path, 301);
  });

  await feedPages(app, { deps });
}
