// /library/memberships: the fan's memberships, what they give now and until when, with Cancel.
// It is also where the processor sends a fan who just joined (?order=): until the payment is
// confirmed it says so and checks again every second (like the claim page), then welcomes them.
import {
  Button,
  EmptyState,
  Flash,
  LinkButton,
  PageHeader,
} from '../../../platform/views/components.js';
import { formatDate } from '../../../platform/dates.js';
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

/** How the membership a fan just paid for stands. */
export type JoinState = 'confirming' | 'active' | 'failed';

export interface Joining {
  state: JoinState;
  projectTitle: string;
  /** this page with its ?order=, which polling fetches again */
  here: string;
}

function JoinNotice(props: { joining: Joining }): JSX.Element {
  const { state, projectTitle, here } = props.joining;
  // Only the message inside the page's live region is swapped, so the region itself stays put
  // and screen readers read the change; the list below is swapped alongside (hx-select-oob).
  const polling =
    state === 'confirming'
      ? {
          'hx-get': here,
          'hx-trigger': 'every 1s',
          'hx-select': '#join-notice',
          'hx-select-oob': '#membership-list',
          'hx-swap': 'outerHTML',
        }
      : {};
  const tone = state === 'active' ? 'success' : state === 'failed' ? 'error' : 'info';
  return (
    <div class={`notice notice--${tone}`} id="join-notice" {...polling}>
      {state === 'confirming' ? (
        <>
          <p class="notice__title" safe>
            {`Thank you! We are confirming your ${projectTitle} membership with the payment processor.`}
          </p>
          <div class="notice__body">
            <p>
              This takes a few seconds; the membership appears here as soon as it is confirmed.{' '}
              <a href={here}>Check again</a>
            </p>
          </div>
        </>
      ) : (
        ''
      )}
      {state === 'active' ? (
        <p class="notice__title" safe>
          {`Welcome! You are a member of ${projectTitle}.`}
        </p>
      ) : (
        ''
      )}
      {state === 'failed' ? (
        <>
          <p class="notice__title" safe>
            {`Your ${projectTitle} membership did not start: the payment did not go through.`}
          </p>
          <div class="notice__body">
            <p>Nothing was charged.</p>
          </div>
        </>
      ) : (
        ''
      )}
    </div>
  );
}

export function MyMembershipsPage(props: {
  memberships: readonly MembershipWithTier[];
  csrfToken: string;
  flash?: string | undefined;
  /** the membership the fan just paid for, when they came back from the processor */
  joining?: Joining | undefined;
}): JSX.Element {
  const confirming = props.joining?.state === 'confirming';
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
      <Flash message={props.flash} />
      {props.joining ? (
        <div class="join-status" id="join-status" role="status">
          <JoinNotice joining={props.joining} />
        </div>
      ) : (
        ''
      )}
      <div id="membership-list">
        {confirming && props.memberships.length === 0 ? (
          ''
        ) : props.memberships.length === 0 ? (
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
    </div>
  );
}
