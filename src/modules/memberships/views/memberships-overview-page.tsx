// /dashboard/memberships: every project of the creator with its open tiers and current members,
// each leading to the project's own tiers and members page.
import { EmptyState, LinkButton } from '../../../platform/views/components.js';
import { DashboardFrame } from '../../../platform/views/dashboard-frame.js';
import type { MembershipOverviewRow } from '../tiers.repository.js';

const count = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;

function ProjectRow(props: { project: MembershipOverviewRow }): JSX.Element {
  const { project } = props;
  const tiers = Number(project.open_tiers ?? 0);
  const members = Number(project.members ?? 0);
  return (
    <li class="membership-row">
      <h2 class="membership-row__title">
        <a href={`/dashboard/projects/${project.id}/membership`} safe>
          {project.title}
        </a>
      </h2>
      <p class="membership-row__facts" safe>
        {tiers === 0
          ? 'No tiers open to new members'
          : `${count(tiers, 'tier', 'tiers')} open · ${count(members, 'current member', 'current members')}`}
      </p>
    </li>
  );
}

export function MembershipsOverviewPage(props: {
  projects: readonly MembershipOverviewRow[];
}): JSX.Element {
  return (
    <DashboardFrame
      section="memberships"
      title="Memberships"
      lead="Fans join a project’s tiers monthly or yearly. Choose a project to set its tiers and see its members."
    >
      {props.projects.length === 0 ? (
        <EmptyState
          title="No projects yet"
          level={2}
          action={<LinkButton href="/dashboard/projects/new">Create your first project</LinkButton>}
        >
          <p>Memberships belong to a project: create one, then add its tiers.</p>
        </EmptyState>
      ) : (
        <ul class="membership-list" role="list">
          {props.projects.map((project) => (
            <ProjectRow project={project} />
          ))}
        </ul>
      )}
    </DashboardFrame>
  );
}
