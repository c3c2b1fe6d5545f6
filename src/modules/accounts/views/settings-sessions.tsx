// The list of signed-in sessions on /settings/security: device, place, last use, and the
// buttons that end them. A list, not a table, so it reads the same on a phone.
import type { SessionMethod } from '../../../db/schema.js';
import { Button } from '../../../platform/views/components.js';
import type { DeviceKind } from '../device-label.js';
import { PLACE_DATA_CREDIT, PLACE_DATA_URL } from '../ip-place.js';
import type { SessionView } from '../settings-access.service.js';
import { SettingsCard, TimeAgo } from './settings-parts.js';
import { CsrfField } from '../../../platform/views/forms.js';

const METHOD_LABELS: Record<SessionMethod, string> = {
  password: 'with a password',
  passkey: 'with a passkey',
  email_link: 'with an email link',
  signup: 'when you joined',
};

function DeviceShape(props: { kind: DeviceKind }): JSX.Element {
  switch (props.kind) {
    case 'phone':
      return (
        <>
          <rect x="7" y="2.5" width="10" height="19" rx="2.5" />
          <path d="M11 18.5h2" />
        </>
      );
    case 'tablet':
      return (
        <>
          <rect x="4" y="2.5" width="16" height="19" rx="2.5" />
          <path d="M11 18.5h2" />
        </>
      );
    case 'computer':
      return (
        <>
          <rect x="3" y="4" width="18" height="12" rx="2" />
          <path d="M8.5 20h7M12 16v4" />
        </>
      );
    case 'tool':
      return (
        <>
          <rect x="3" y="4" width="18" height="16" rx="2" />
          <path d="M7 9.5l3 2.5-3 2.5M12.5 15h4" />
        </>
      );
    case 'unknown':
      return (
        <>
          <circle cx="12" cy="12" r="9" />
          <path d="M9.6 9.4a2.5 2.5 0 1 1 3.4 2.3c-.6.3-1 .8-1 1.5v.6M12 17h.01" />
        </>
      );
  }
}

/** Simple line icons; decorative, the label beside them says the same. */
export function DeviceIcon(props: { kind: DeviceKind }): JSX.Element {
  return (
    <svg class="device-icon" viewBox="0 0 24 24" aria-hidden="true" focusable="false">
      <DeviceShape kind={props.kind} />
    </svg>
  );
}

function SessionItem(props: { session: SessionView; csrfToken: string; now: Date }) {
  const { session } = props;
  return (
    <li class={session.current ? 'session session--current' : 'session'}>
      <DeviceIcon kind={session.kind} />
      <div class="session__body">
        <p class="session__device">
          <span safe>{session.device}</span>
          {session.current ? <span class="badge badge--accent">This session</span> : ''}
        </p>
        <p class="session__meta">
          <span safe>{session.place.label}</span>
          <span class="session__sep" aria-hidden="true">
            ·
          </span>
          {session.current ? (
            <span>Active now</span>
          ) : (
            <span>
              Last active <TimeAgo date={session.lastSeenAt} now={props.now} />
            </span>
          )}
        </p>
        <p class="session__meta">
          <span>
            Signed in <TimeAgo date={session.createdAt} now={props.now} />{' '}
            <span safe>{METHOD_LABELS[session.method]}</span>
          </span>
        </p>
      </div>
      {session.current ? (
        ''
      ) : (
        <form
          method="post"
          action={`/settings/sessions/${session.id}/revoke`}
          class="session__action"
        >
          <CsrfField token={props.csrfToken} />
          <button type="submit" class="button button--ghost button--small">
            Sign out
            <span class="visually-hidden" safe>{` ${session.device}, ${session.place.label}`}</span>
          </button>
        </form>
      )}
    </li>
  );
}

export function SessionsCard(props: {
  sessions: readonly SessionView[];
  /** live access tokens, which signing out everywhere else revokes too */
  tokenCount: number;
  csrfToken: string;
  now: Date;
}): JSX.Element {
  const others = props.sessions.filter((session) => !session.current).length;
  const tokens = props.tokenCount;
  return (
    <SettingsCard
      id="sessions"
      title="Where you’re signed in"
      intro="Every browser and device signed in to your account. If you don’t recognise one, sign it out and change your password."
    >
      <ul class="session-list" role="list">
        {props.sessions.map((session) => (
          <SessionItem session={session} csrfToken={props.csrfToken} now={props.now} />
        ))}
      </ul>
      <div class="settings-card__footer">
        {others > 0 || tokens > 0 ? (
          <form method="post" action="/settings/sessions/revoke-others">
            <CsrfField token={props.csrfToken} />
            {tokens > 0 ? (
              <p class="settings-card__quiet" safe>
                {`This also revokes your ${tokens} access token${tokens === 1 ? '' : 's'}: scripts using ${tokens === 1 ? 'it' : 'them'} stop working.`}
              </p>
            ) : (
              ''
            )}
            <Button variant="secondary">Sign out everywhere else</Button>
          </form>
        ) : (
          <p class="settings-card__quiet">This is the only place you’re signed in.</p>
        )}
        <p class="settings-card__credit">
          Places are estimated from IP addresses with{' '}
          <a href={PLACE_DATA_URL} rel="noopener noreferrer">
            {PLACE_DATA_CREDIT}
          </a>{' '}
          data.
        </p>
      </div>
    </SettingsCard>
  );
}
