// Authenticator-app codes in settings: the "Two-factor authentication" section of
// /settings/security, the setup page (QR code, key for typing, confirming code) and the page
// that shows backup codes their one and only time.
import QRCode from 'qrcode';
import { Button, LinkButton, Notice } from '../../../platform/views/components.js';
import type { TotpStatus } from '../totp.service.js';
import { ExactTime, SettingsCard, SettingsShell } from './settings-parts.js';
import { CsrfField } from '../../../platform/views/forms.js';

/**
 * The otpauth URI as an SVG QR code in a data: URL: an <img> the CSP allows (img-src data:),
 * with no inline markup or script of its own.
 */
export async function qrCodeDataUrl(uri: string): Promise<string> {
  const svg = await QRCode.toString(uri, { type: 'svg', margin: 2, errorCorrectionLevel: 'M' });
  return `data:image/svg+xml;base64,${Buffer.from(svg).toString('base64')}`;
}

/** "ABCD EFGH IJKL …": a long key is easier to type in groups of four. */
export function groupKey(secret: string): string {
  return secret.replace(/(.{4})(?=.)/g, '$1 ');
}

function PasswordDetails(props: {
  summary: string;
  action: string;
  submit: string;
  danger?: boolean;
  csrfToken: string;
  id: string;
}) {
  return (
    <details class="two-factor__details">
      <summary class="button button--secondary button--small" safe>
        {props.summary}
      </summary>
      <form method="post" action={props.action} class="two-factor__form">
        <CsrfField token={props.csrfToken} />
        <label class="field__label" for={props.id}>
          Your password, to confirm
        </label>
        <input
          class="field__input"
          id={props.id}
          name="password"
          type="password"
          autocomplete="current-password"
          required
        />
        <button
          type="submit"
          class={`button button--${props.danger ? 'danger' : 'primary'} button--small`}
          safe
        >
          {props.submit}
        </button>
      </form>
    </details>
  );
}

function codesLeft(count: number): string {
  const left = count === 1 ? '1 backup code left.' : `${count} backup codes left.`;
  return count <= 3 ? `${left} Make new ones soon.` : left;
}

export function TotpCard(props: { status: TotpStatus; csrfToken: string }): JSX.Element {
  const { enabledAt, backupCodesLeft } = props.status;
  const low = backupCodesLeft <= 3;
  return (
    <SettingsCard
      id="two-factor"
      title="Two-factor authentication"
      intro="After your password, sign-ins also ask for a 6-digit code from an authenticator app on your phone. Passkey sign-ins skip it: a passkey is already two factors."
    >
      {enabledAt ? (
        <>
          <p class="two-factor__status">
            <span class="badge badge--success">On</span>{' '}
            <span>
              since <ExactTime date={enabledAt} />
            </span>
          </p>
          <p class={low ? 'two-factor__codes two-factor__codes--low' : 'two-factor__codes'}>
            <span safe>{codesLeft(backupCodesLeft)}</span>
          </p>
          <div class="two-factor__actions">
            <PasswordDetails
              summary="New backup codes"
              action="/settings/two-factor/backup-codes"
              submit="Make new backup codes"
              csrfToken={props.csrfToken}
              id="field-backup-password"
            />
            <PasswordDetails
              summary="Turn off"
              action="/settings/two-factor/disable"
              submit="Turn off two-factor"
              danger
              csrfToken={props.csrfToken}
              id="field-disable-password"
            />
          </div>
        </>
      ) : (
        <>
          <p class="two-factor__status">
            <span class="badge">Off</span>
          </p>
          <LinkButton href="/settings/two-factor/setup" variant="secondary">
            Set up an authenticator app
          </LinkButton>
        </>
      )}
    </SettingsCard>
  );
}

export interface TotpSetupPageProps {
  csrfToken: string;
  /** base32 */
  secret: string;
  qrDataUrl: string;
  error?: string | undefined;
}

export function TotpSetupPage(props: TotpSetupPageProps): JSX.Element {
  const errorId = props.error ? 'field-code-error' : undefined;
  return (
    <SettingsShell
      tab="security"
      title="Set up two-factor authentication"
      lead="Three steps with the authenticator app on your phone: any app that makes 6-digit codes works, such as 2FAS, Aegis, Google Authenticator or your password manager."
    >
      <SettingsCard id="totp-setup" title="Connect your app">
        <ol class="totp-steps">
          <li class="totp-step">
            <h3 class="totp-step__title">Scan this QR code with the app</h3>
            <img
              class="totp-qr"
              src={props.qrDataUrl}
              width="200"
              height="200"
              alt="QR code that adds Makenot.work to an authenticator app"
            />
            <p class="field__hint">Can’t scan it? Enter this setup key instead:</p>
            <p class="totp-key" safe>
              {groupKey(props.secret)}
            </p>
          </li>
          <li class="totp-step">
            <h3 class="totp-step__title">Enter the 6-digit code the app shows</h3>
            {props.error ? <Notice tone="error" title={props.error} /> : ''}
            <form
              method="post"
              action="/settings/two-factor/setup"
              class="settings-form"
              novalidate
            >
              <CsrfField token={props.csrfToken} />
              <div class={props.error ? 'field field--invalid' : 'field'}>
                <label class="field__label" for="field-code">
                  Code
                </label>
                <input
                  class="field__input two-factor-code"
                  id="field-code"
                  name="code"
                  type="text"
                  inputmode="numeric"
                  pattern="[0-9 ]*"
                  autocomplete="one-time-code"
                  maxlength={8}
                  required
                  aria-invalid={props.error ? 'true' : undefined}
                  aria-describedby={errorId}
                />
                {props.error ? (
                  <p class="field__error" id={errorId}>
                    Codes change every 30 seconds: enter the one showing now.
                  </p>
                ) : (
                  ''
                )}
              </div>
              <div class="prompt__actions">
                <Button>Turn on two-factor</Button>
                <a href="/settings/security#two-factor">Cancel</a>
              </div>
            </form>
          </li>
        </ol>
      </SettingsCard>
    </SettingsShell>
  );
}

export function BackupCodesPage(props: { codes: readonly string[]; fresh: boolean }): JSX.Element {
  const done = props.fresh ? 'totp_enabled' : 'backup_codes_renewed';
  return (
    <SettingsShell
      tab="security"
      title={props.fresh ? 'Two-factor authentication is on' : 'Your new backup codes'}
      lead="Save these backup codes now: this is the only time they are shown."
    >
      <SettingsCard
        id="backup-codes"
        title="Backup codes"
        intro="If you lose your phone, each code signs you in once instead of an app code. Keep them in a password manager or on paper, away from your phone."
      >
        {props.fresh ? '' : <Notice tone="warning" title="Your old backup codes no longer work." />}
        <ol class="backup-codes">
          {props.codes.map((code) => (
            <li>
              <code class="backup-codes__code" safe>
                {code}
              </code>
            </li>
          ))}
        </ol>
        <div class="settings-card__footer">
          <LinkButton href={`/settings/security?done=${done}#two-factor`}>
            I’ve saved them
          </LinkButton>
        </div>
      </SettingsCard>
    </SettingsShell>
  );
}
