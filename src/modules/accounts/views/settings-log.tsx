// /settings/security-log: what happened to the account, newest first, in plain words, with the
// device and place each event came from.
import type { SecurityEventType } from '../security-log.js';
import type { SecurityEventView } from '../settings-access.service.js';
import { ExactTime, SettingsCard, SettingsShell, TimeAgo } from './settings-parts.js';

type Tone = 'good' | 'neutral' | 'warning';
type Describe = (details: Record<string, unknown>) => string;

function text(details: Record<string, unknown>, key: string): string | undefined {
  const value = details[key];
  return typeof value === 'string' && value !== '' ? value : undefined;
}

function quoted(details: Record<string, unknown>, key: string): string {
  const name = text(details, key);
  return name ? ` “${name}”` : '';
}

const SIGN_IN_METHODS: Record<string, string> = {
  password: ' with a password',
  passkey: ' with a passkey',
  email_link: ' with an email link',
};

/** Every event type has words; the table is exhaustive so a new type cannot be forgotten. */
const EVENTS: Record<SecurityEventType, { tone: Tone; describe: Describe }> = {
  signed_up: { tone: 'good', describe: () => 'Account created' },
  signed_in: {
    tone: 'neutral',
    describe: (d) =>
      `Signed in${SIGN_IN_METHODS[text(d, 'method') ?? ''] ?? ''}${d.new_device === true ? ' from a new device' : ''}`,
  },
  sign_in_failed: {
    tone: 'warning',
    describe: (d) =>
      d.during === 'reauthentication'
        ? 'Wrong password when confirming it was you'
        : 'Failed sign-in attempt',
  },
  signed_out: { tone: 'neutral', describe: () => 'Signed out' },
  account_locked: {
    tone: 'warning',
    describe: () => 'Sign-ins from new devices paused after repeated failures',
  },
  account_unlocked: { tone: 'good', describe: () => 'Sign-ins unlocked with the emailed link' },
  email_verified: { tone: 'good', describe: () => 'Email address confirmed' },
  email_change_requested: {
    tone: 'neutral',
    describe: (d) => `Asked to change the email address${to(d, 'new_email')}`,
  },
  email_changed: {
    tone: 'warning',
    describe: (d) => `Email address changed${to(d, 'new_email')}`,
  },
  password_changed: { tone: 'warning', describe: () => 'Password changed' },
  password_reset: { tone: 'warning', describe: () => 'Password reset with an emailed link' },
  session_revoked: { tone: 'neutral', describe: () => 'A session was signed out' },
  other_sessions_revoked: {
    tone: 'neutral',
    describe: (d) =>
      d.from === 'operator'
        ? 'Signed out everywhere by the site’s operators: sessions and access tokens'
        : 'Signed out everywhere else: sessions and access tokens',
  },
  token_created: {
    tone: 'neutral',
    describe: (d) => `Access token${quoted(d, 'name')} created`,
  },
  token_revoked: {
    tone: 'neutral',
    describe: (d) => `Access token${quoted(d, 'name')} revoked`,
  },
  passkey_added: { tone: 'good', describe: (d) => `Passkey${quoted(d, 'name')} added` },
  passkey_renamed: { tone: 'neutral', describe: (d) => `Passkey${quoted(d, 'name')} renamed` },
  passkey_removed: { tone: 'warning', describe: (d) => `Passkey${quoted(d, 'name')} removed` },
  totp_enabled: { tone: 'good', describe: () => 'Two-factor authentication turned on' },
  totp_disabled: { tone: 'warning', describe: () => 'Two-factor authentication turned off' },
  backup_code_used: { tone: 'warning', describe: () => 'A backup code was used to sign in' },
  backup_codes_renewed: {
    tone: 'neutral',
    describe: () => 'New backup codes were made; the old ones stopped working',
  },
  became_creator: { tone: 'good', describe: () => 'Creator tools turned on' },
  admin_granted: {
    tone: 'warning',
    describe: (d) => (d.is_admin === false ? 'Admin role removed' : 'Admin role granted'),
  },
  deactivated: { tone: 'warning', describe: () => 'Account deactivated' },
  reactivated: { tone: 'good', describe: () => 'Account reactivated by signing in' },
};

function to(details: Record<string, unknown>, key: string): string {
  const value = text(details, key);
  return value ? ` to ${value}` : '';
}

function isKnownType(type: string): type is SecurityEventType {
  return Object.hasOwn(EVENTS, type);
}

export function describeEvent(event: SecurityEventView): { title: string; tone: Tone } {
  if (!isKnownType(event.type)) return { title: 'Account event', tone: 'neutral' };
  const entry = EVENTS[event.type];
  return { title: entry.describe(event.details), tone: entry.tone };
}

function EventItem(props: { event: SecurityEventView; now: Date }) {
  const { event } = props;
  const { title, tone } = describeEvent(event);
  return (
    <li class={`log-event log-event--${tone}`}>
      <span class="log-event__dot" aria-hidden="true"></span>
      <div class="log-event__body">
        <p class="log-event__title" safe>
          {title}
        </p>
        <p class="log-event__meta">
          <span safe>{event.device}</span>
          <span class="session__sep" aria-hidden="true">
            ·
          </span>
          <span safe>{event.place.label}</span>
        </p>
      </div>
      <p class="log-event__time">
        <ExactTime date={event.createdAt} />
        <span class="log-event__ago">
          <TimeAgo date={event.createdAt} now={props.now} />
        </span>
      </p>
    </li>
  );
}

export function SecurityLogPage(props: {
  events: readonly SecurityEventView[];
  limit: number;
  now: Date;
}): JSX.Element {
  return (
    <SettingsShell
      tab="log"
      title="Security log"
      lead="Sign-ins, failed attempts and changes to your account, newest first. If something here wasn’t you, change your password and sign out everywhere else."
    >
      <SettingsCard
        id="events"
        title="Recent activity"
        intro={`Your most recent events, up to ${props.limit}. Times are in UTC.`}
      >
        {props.events.length > 0 ? (
          <ol class="log" role="list">
            {props.events.map((event) => (
              <EventItem event={event} now={props.now} />
            ))}
          </ol>
        ) : (
          <p class="settings-card__quiet">Nothing has happened yet.</p>
        )}
      </SettingsCard>
    </SettingsShell>
  );
}
