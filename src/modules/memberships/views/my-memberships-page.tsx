// /library/memberships: the fan's memberships, what they give now and until when, with Cancel.
import { Button, EmptyState, LinkButton, PageHeader } from '../../../platform/views/components.js';
import { Notice } from '../../../platform/views/components.js';
import { formatDate } from '../../catalog/public/format.js';
import { hasAccess, type MembershipWithTier } from '../memberships.repository.js';

function statusLine(row: MembershipWithTier): string {
  const until = formatDate(row.current_period_end);
  if (!hasAccess(row)) return 'Ended.';
  switch (row.status) {
    case 'trialing':
      return `Free trial until ${until}.`;
    case 'active':
      return `Renews ${until}.`;
    case 'past_due':
      return 'The last payment failed: update your payment method to stay a member.';
    case 'canceled':
      return `Canceled: yours until ${until}.`;
    case 'ended':
      return 'Ended.';
  }
}

export function MyMembershipsPage(props: {
  memberships: readonly MembershipWithTier[];
  csrfToken: string;
  flash?: string | undefined;
}): JSX.Element {
  return (
    <div class="wrap catalog-page">
      <PageHeader
        eyebrow="Library"
        title="Your memberships"
        lead="The projects you support. Members play and download the members-only work in full."
      />
      <p>
        <a href="/library">Back to your library</a>
      </p>
      {props.flash ? <Notice tone="success" title={props.flash} /> : ''}
      {props.memberships.length === 0 ? (
        <EmptyState
          title="No memberships yet"
          level={2}
          action={<LinkButton href="/discover">Discover new work</LinkButton>}
        >
          <p>Join a project’s membership from its page; it appears here.</p>
        </EmptyState>
      ) : (
        <ul class="membership-list" role="list">
          {props.memberships.map((row) => {
            const projectUrl = `/@${encodeURIComponent(row.creator_handle)}/${encodeURIComponent(row.project_slug)}`;
            const cancellable = row.status !== 'canceled' && row.status !== 'ended';
            return (
              <li class="membership-row">
                <h2 class="membership-row__title">
                  <a href={projectUrl} safe>
                    {row.project_title}
                  </a>
                </h2>
                <p class="membership-row__facts" safe>
                  {`${row.tier_name}, ${row.interval === 'month' ? 'monthly' : 'yearly'}. ${statusLine(row)}`}
                </p>
                {cancellable ? (
                  <form method="post" action={`/library/memberships/${row.id}/cancel`}>
                    <input type="hidden" name="_csrf" value={props.csrfToken} />
                    <Button type="submit" variant="secondary" small>
                      <span safe>{`Cancel ${row.project_title} membership`}</span>
                    </Button>
                  </form>
                ) : (
                  ''
                )}
              </li>
            );
          })}
        </ul>
      )}
    </div>
  );
}
