// The frame and small pieces every settings page shares: the header with its section
// navigation, cards, the re-authentication gate, times, and the flash messages' words (the
// form kit is platform/views/forms.tsx). Text props are escaped here; `children` is markup.
import type { Children } from '@kitajs/html';
import { Flash, PageHeader } from '../../../platform/views/components.js';
import { flashReader } from '../../../platform/views/forms.js';
import { SectionNav } from '../../../platform/views/section-nav.js';

export type SettingsTab = 'account' | 'security' | 'log';

const TABS = [
  { key: 'account', href: '/settings', label: 'Account' },
  { key: 'security', href: '/settings/security', label: 'Security' },
  { key: 'log', href: '/settings/security-log', label: 'Security log' },
] as const;

export interface SettingsShellProps {
  tab: SettingsTab;
  title: string;
  lead: string;
  /** a fixed message after a redirect (see FLASH) */
  flash?: string | undefined;
  /** shown once per page while sensitive changes are unlocked */
  reauth?: ReauthState | undefined;
  children: Children;
}

export interface ReauthState {
  open: boolean;
  minutesLeft: number;
}

export function SettingsShell(props: SettingsShellProps): JSX.Element {
  return (
    <div class="wrap settings section-layout">
      <PageHeader
        class="settings__header section-layout__header"
        eyebrow="Settings"
        title={props.title}
        lead={props.lead}
      />
      <SectionNav label="Settings sections" links={TABS} current={props.tab} />
      <div class="settings__content section-layout__content">
        <Flash message={props.flash} />
        {props.reauth?.open ? <ReauthOpen minutesLeft={props.reauth.minutesLeft} /> : ''}
        {props.children}
      </div>
    </div>
  );
}

export interface SettingsCardProps {
  id: string;
  title: string;
  intro?: string | undefined;
  tone?: 'danger';
  children: Children;
}

/** One titled section of a settings page; the id is its anchor and names it for screen readers. */
export function SettingsCard(props: SettingsCardProps): JSX.Element {
  return (
    <section
      class={props.tone === 'danger' ? 'settings-card settings-card--danger' : 'settings-card'}
      id={props.id}
      aria-labelledby={`${props.id}-title`}
    >
      <h2 class="settings-card__title" id={`${props.id}-title`} safe>
        {props.title}
      </h2>
      {props.intro ? (
        <p class="settings-card__intro" safe>
          {props.intro}
        </p>
      ) : (
        ''
      )}
      {props.children}
    </section>
  );
}

export interface ReauthGateProps {
  /** whether the session confirmed its password recently */
  open: boolean;
  /** minutes left while open */
  minutesLeft: number;
  /** where the password prompt returns to, e.g. "/settings/security#password" */
  back: string;
  /** what the locked gate unlocks, e.g. "change your password" */
  action: string;
  children: Children;
}

function ReauthOpen(props: { minutesLeft: number }): JSX.Element {
  return (
    <p class="reauth-open">
      <svg class="reauth-open__icon" viewBox="0 0 24 24" aria-hidden="true" focusable="false">
        <rect x="5" y="10.5" width="14" height="10" rx="2.5" />
        <path d="M8.5 10.5V8a3.5 3.5 0 0 1 6.6-1.6" />
      </svg>
      <span safe>
        {`Password confirmed: changes to your password, email, tokens and account are unlocked for ${minutes(props.minutesLeft)}.`}
      </span>
    </p>
  );
}

/** Sensitive forms appear only after a recent password confirmation; before it, a way there. */
export function ReauthGate(props: ReauthGateProps): JSX.Element {
  if (props.open) return <>{props.children}</>;
  return (
    <div class="reauth-gate">
      <svg class="reauth-gate__lock" viewBox="0 0 24 24" aria-hidden="true" focusable="false">
        <rect x="5" y="10.5" width="14" height="10" rx="2.5" />
        <path d="M8.5 10.5V8a3.5 3.5 0 0 1 7 0v2.5" />
      </svg>
      <p class="reauth-gate__text" safe>
        {`To ${props.action}, confirm your password first. It stays confirmed for 10 minutes.`}
      </p>
      <a
        class="button button--secondary button--small"
        href={`/settings/reauth?next=${encodeURIComponent(props.back)}`}
      >
        Confirm your password
      </a>
    </div>
  );
}

function minutes(count: number): string {
  return count === 1 ? '1 more minute' : `${count} more minutes`;
}

const DATE_TIME = new Intl.DateTimeFormat('en-GB', {
  day: 'numeric',
  month: 'short',
  year: 'numeric',
  hour: '2-digit',
  minute: '2-digit',
  timeZone: 'UTC',
});

/** "12 Jun 2026, 14:05 UTC": the server does not know the reader's time zone. */
export function formatDateTime(date: Date): string {
  return `${DATE_TIME.format(date)} UTC`;
}

/** "just now", "5 minutes ago", "3 days ago". */
export function timeAgo(date: Date, now = new Date()): string {
  const seconds = Math.max(0, Math.round((now.getTime() - date.getTime()) / 1000));
  if (seconds < 60) return 'just now';
  const steps: [number, string][] = [
    [60, 'minute'],
    [3600, 'hour'],
    [86_400, 'day'],
    [30 * 86_400, 'month'],
    [365 * 86_400, 'year'],
  ];
  let unit = steps[0] ?? [60, 'minute'];
  for (const step of steps) if (seconds >= step[0]) unit = step;
  const count = Math.floor(seconds / unit[0]);
  return `${count} ${unit[1]}${count === 1 ? '' : 's'} ago`;
}

/** A relative time for reading, the exact one for machines and on hover. */
export function TimeAgo(props: { date: Date; now?: Date }): JSX.Element {
  return (
    <time datetime={props.date.toISOString()} title={formatDateTime(props.date)} safe>
      {timeAgo(props.date, props.now)}
    </time>
  );
}

export function ExactTime(props: { date: Date }): JSX.Element {
  return (
    <time datetime={props.date.toISOString()} safe>
      {formatDateTime(props.date)}
    </time>
  );
}

/** Messages shown after a redirect, chosen by a fixed key in `?done=` (see flashReader). */
export const FLASH = {
  profile_saved: 'Your name is saved.',
  verification_sent: 'We sent a new confirmation link. It is valid for 24 hours.',
  email_change_sent: 'Check the new address: the change applies when you open the link we sent.',
  email_changed: 'Your email address is changed and confirmed.',
  password_changed: 'Your password is changed. We sent a notice to your email address.',
  password_changed_signed_out:
    'Your password is changed, every other session is signed out and every access token is revoked. We sent a notice to your email address.',
  session_revoked: 'That session is signed out.',
  sessions_revoked: 'Every other session is signed out and every access token is revoked.',
  token_revoked: 'The token is revoked. Anything using it can no longer get in.',
  reauthenticated: 'Password confirmed.',
  passkey_added: 'Passkey added. You can now sign in with it alone.',
  passkey_renamed: 'Passkey renamed.',
  passkey_removed: 'Passkey removed. It no longer signs you in.',
  totp_enabled: 'Two-factor authentication is on.',
  totp_disabled: 'Two-factor authentication is off.',
  backup_codes_renewed: 'New backup codes made. The old ones no longer work.',
} as const;

export const flashFor = flashReader(FLASH);
