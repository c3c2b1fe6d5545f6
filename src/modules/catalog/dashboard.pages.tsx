// The creator dashboard under /dashboard: server-rendered pages that htmx enhances. Every route
// sits behind requireUser (a signed-out visitor is sent to /login?next=…); everything but the
// profile also behind requireCreator (a fan sees how to turn on creating). Routes parse the
// form, call the catalogue's services, which authorise each object, and render.
import type { FastifyInstance } from 'fastify';
import { principalOf, requireUser } from '../../platform/http/auth.js';
import { render } from '../../platform/views/render.js';
import { flashOf } from './dashboard/dashboard-http.js';
import { loadOverview, loadOverviewPage, loadRowFacts } from './dashboard/dashboard-data.js';
import { itemExtrasRoutes } from './dashboard/item-extras.routes.js';
import { itemFileRoutes } from './dashboard/item-files.routes.js';
import { itemWizardRoutes } from './dashboard/item-wizard.routes.js';
import { itemRoutes } from './dashboard/items.routes.js';
import { profileRoutes } from './dashboard/profile.routes.js';
import { projectWizardRoutes } from './dashboard/project-wizard.routes.js';
import { projectRoutes } from './dashboard/projects.routes.js';
import { OverviewPage, ProjectsPage } from './dashboard/views/overview.js';
import type { CatalogDeps } from './projects.service.js';
import { csrfOf } from '../../platform/views/view-context.js';
import { requireCreator } from '../../platform/http/require-creator.js';

export async function dashboardPages(app: FastifyInstance, opts: { deps: CatalogDeps }) {
  const { deps } = opts;
  await app.register(async (signedIn) => {
    signedIn.addHook('preHandler', requireUser);
    await profileRoutes(signedIn, deps);

    await signedIn.register(async (creators) => {
      creators.addHook('preHandler', requireCreator);

      creators.get('/dashboard', async (request, reply) => {
        const page = await loadOverviewPage(deps, principalOf(request));
        return render(reply, {
          title: 'Dashboard',
          body: (
            <OverviewPage
              csrfToken={csrfOf(request)}
              projects={page.projects}
              facts={page.facts}
              panels={page.panels}
              flash={flashOf(request)}
            />
          ),
        });
      });

      creators.get('/dashboard/projects', async (request, reply) => {
        const principal = principalOf(request);
        const projects = await loadOverview(deps, principal);
        const items = projects.flatMap((p) => p.items);
        return render(reply, {
          title: 'Projects',
          body: (
            <ProjectsPage
              csrfToken={csrfOf(request)}
              projects={projects}
              facts={await loadRowFacts(deps, principal, items)}
              flash={flashOf(request)}
            />
          ),
        });
      });

      await projectWizardRoutes(creators, deps);
      await projectRoutes(creators, deps);
      await itemWizardRoutes(creators, deps);
      await itemRoutes(creators, deps);
      await itemExtrasRoutes(creators, deps);
      await itemFileRoutes(creators, deps);
    });
  });
}
