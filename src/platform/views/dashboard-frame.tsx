// The frame of every page of the creator's dashboard: the page's heading (title, a lead, a way
// back, actions), the dashboard's navigation, the flash message after a redirect, and the
// dashboard's scripts. The navigation is one list: a new area (posts, audience, plan, export) is
// one line here once its page exists. Text props are escaped here; `children` is markup.
import type { Children } from '@kitajs/html';
import { assetUrl } from '../http/static-assets.js';
import { Flash, PageHeader } from './components.js';
import { SectionNav, type SectionLink } from './section-nav.js';

export const DASHBOARD_SECTIONS = [
  { key: 'overview', href: '/dashboard', label: 'Overview' },
  { key: 'projects', href: '/dashboard/projects', label: 'Projects' },
  { key: 'sales', href: '/dashboard/sales', label: 'Sales' },
  { key: 'earnings', href: '/dashboard/earnings', label: 'Earnings' },
  { key: 'memberships', href: '/dashboard/memberships', label: 'Memberships' },
  { key: 'promo-codes', href: '/dashboard/promo-codes', label: 'Promo codes' },
  { key: 'payouts', href: '/dashboard/payouts/account', label: 'Payouts' },
  { key: 'settings', href: '/settings', label: 'Settings' },
] as const satisfies readonly SectionLink<string>[];

export type DashboardSection = (typeof DASHBOARD_SECTIONS)[number]['key'];

export interface DashboardFrameProps {
  /** the section whose link is marked current; none for a page outside the sections */
  section: DashboardSection | undefined;
  /** a page inside the section (an editor, a confirmation), not the one its link opens */
  within?: boolean;
  /** false for someone who is not a creator yet: the sections are not theirs */
  nav?: boolean;
  title: string;
  lead?: string | undefined;
  /** a link back up, e.g. to the project from its membership page */
  back?: { href: string; label: string } | undefined;
  /** a fixed message after a redirect */
  flash?: string | undefined;
  actions?: Children;
  children: Children;
}

export function DashboardFrame(props: DashboardFrameProps): JSX.Element {
  const nav = props.nav !== false;
  return (
    <div class={nav ? 'wrap dashboard section-layout' : 'wrap dashboard'}>
      <script src={assetUrl('listbox-popup.js')} defer></script>
      <script src={assetUrl('dashboard.js')} defer></script>
      <script src={assetUrl('dashboard-rows.js')} defer></script>
      <PageHeader
        class={nav ? 'page-header--dashboard section-layout__header' : 'page-header--dashboard'}
        titleId="page-title"
        eyebrow="Dashboard"
        back={props.back}
        title={props.title}
        lead={props.lead}
        actions={props.actions}
      />
      {nav ? (
        <SectionNav
          label="Dashboard"
          links={DASHBOARD_SECTIONS}
          current={props.section}
          within={props.within}
        />
      ) : (
        ''
      )}
      <div class="dashboard__content section-layout__content">
        <Flash message={props.flash} />
        {props.children}
      </div>
    </div>
  );
}
