// The join wizard's steps: account, profile, an optional "start creating" and the welcome.
// Each is a whole <section id="join"> (auth-join-shell.tsx) that htmx swaps in place; without
// JavaScript every step is its own page.
import type { Children } from '@kitajs/html';
import type { CreatorTier } from '../../../db/schema.js';
import type { FieldErrors } from '../../../platform/errors.js';
import { Notice } from '../../../platform/views/components.js';
import { joinFormAttributes, JoinSection, type StepFocus } from './auth-join-shell.js';
import { CreatorTierChoice } from './auth-join-tiers.js';
import { CsrfField, FormProblem, TextField } from '../../../platform/views/forms.js';

const ACCOUNT_FIELDS = { email: 'Email', password: 'Password', handle: 'Handle' };

export interface AccountStepProps {
  csrfToken: string;
  values: { email: string; handle: string };
  errors?: FieldErrors | undefined;
  /** a problem that is not about one field (too many attempts) */
  problem?: { title: string; text: string } | undefined;
  focus: StepFocus;
  /** the site's host, shown before the handle: the address the profile will have */
  host: string;
  /** where to go once the account exists (a purchase's claim link), instead of the next step */
  next?: string | undefined;
}

export function AccountStep(props: AccountStepProps): JSX.Element {
  const errors = props.errors ?? {};
  const hasProblem = props.problem !== undefined || Object.keys(errors).length > 0;
  return (
    <JoinSection step="account" focus={props.focus}>
      <p class="auth__lead">
        One account to buy, tip and join, and, when you are ready, sell your own work. Already have
        one? <a href="/login">Sign in</a>.
      </p>
      {hasProblem ? (
        <FormProblem
          title={props.problem?.title ?? 'Check the highlighted fields'}
          errors={errors}
          labels={ACCOUNT_FIELDS}
          focus={props.focus === 'problem'}
        >
          {props.problem ? <p safe>{props.problem.text}</p> : ''}
        </FormProblem>
      ) : (
        ''
      )}
      <form {...joinFormAttributes('/join')} class="auth__form">
        <CsrfField token={props.csrfToken} />
        {props.next ? <input type="hidden" name="next" value={props.next} /> : ''}
        <TextField
          label="Email"
          name="email"
          type="email"
          value={props.values.email}
          error={errors.email}
          hint="For receipts and sign-in. Never shown on your page."
          autocomplete="username"
          maxlength={320}
          verbatim
          required
        />
        <TextField
          label="Password"
          name="password"
          type="password"
          error={errors.password}
          hint="8 characters or more; a passphrase is great."
          autocomplete="new-password"
          minlength={8}
          maxlength={256}
          required
        />
        <TextField
          label="Handle"
          name="handle"
          value={props.values.handle}
          error={errors.handle}
          hint="Your name here, and your page’s address once you sell. Letters, digits, - and _; 2 to 30 characters."
          prefix={`${props.host}/@`}
          autocomplete="off"
          maxlength={30}
          verbatim
          required
        />
        <div class="auth__actions">
          <button type="submit" class="button button--primary auth__submit">
            Create account
          </button>
        </div>
      </form>
      <ul class="auth__facts" role="list">
        <li>Free for fans</li>
        <li>0% platform cut</li>
        <li>Memberships and tips</li>
      </ul>
    </JoinSection>
  );
}

export interface ProfileStepProps {
  csrfToken: string;
  handle: string;
  displayName: string;
  error?: string | undefined;
  focus: StepFocus;
}

export function ProfileStep(props: ProfileStepProps): JSX.Element {
  return (
    <JoinSection step="profile" focus={props.focus}>
      <p class="auth__lead">
        Your account is ready. Choose the name people see next to{' '}
        <strong class="auth__handle" safe>{`@${props.handle}`}</strong>.
      </p>
      {props.error ? (
        <FormProblem
          title="Check the highlighted field"
          errors={{ display_name: props.error }}
          labels={{ display_name: 'Display name' }}
          focus={props.focus === 'problem'}
        />
      ) : (
        ''
      )}
      <form {...joinFormAttributes('/join/profile')} class="auth__form">
        <CsrfField token={props.csrfToken} />
        <TextField
          label="Display name"
          name="display_name"
          value={props.displayName}
          error={props.error}
          hint="Your name, band or studio, up to 80 characters. You can change it later."
          autocomplete="nickname"
          maxlength={80}
          required
        />
        <div class="auth__actions">
          <button type="submit" class="button button--primary auth__submit">
            Continue
          </button>
        </div>
      </form>
    </JoinSection>
  );
}

export interface CreateStepProps {
  csrfToken: string;
  tier?: CreatorTier | undefined;
  error?: string | undefined;
  focus: StepFocus;
}

export function CreateStep(props: CreateStepProps): JSX.Element {
  return (
    <JoinSection step="create" focus={props.focus}>
      <p class="auth__lead">
        Optional: sell music, writing, video, software and downloads from your page. Creators keep{' '}
        <strong>100%</strong> of what fans pay; only the card processor’s fee comes off. The tier
        you choose sets your storage; billing has not started yet, so nobody is charged for it
        today.
      </p>
      {props.error ? (
        <FormProblem
          title="Choose a tier first"
          errors={{ tier: props.error }}
          labels={{ tier: 'Tier' }}
          focus={props.focus === 'problem'}
        />
      ) : (
        ''
      )}
      <form {...joinFormAttributes('/join/create')} class="auth__form">
        <CsrfField token={props.csrfToken} />
        <CreatorTierChoice selected={props.tier} error={props.error} />
        <div class="auth__actions auth__actions--split">
          <button type="submit" class="button button--primary auth__submit">
            Start creating
          </button>
          <a
            class="button button--secondary"
            href="/join/done"
            hx-get="/join/done"
            hx-target="#join"
            hx-swap="outerHTML"
            hx-push-url="true"
          >
            Skip for now
          </a>
        </div>
      </form>
    </JoinSection>
  );
}

export interface DoneStepProps {
  email: string;
  emailVerified: boolean;
  handle: string;
  isCreator: boolean;
  focus: StepFocus;
}

export function DoneStep(props: DoneStepProps): JSX.Element {
  const profileUrl = `/@${encodeURIComponent(props.handle)}`;
  return (
    <JoinSection step="done" focus={props.focus}>
      <p class="auth__lead">
        {props.isCreator
          ? 'Welcome aboard. Your creator tools are switched on: set up a project and publish your first release whenever you like.'
          : 'Welcome aboard. Buy or claim creators’ work, tip them or join their memberships, and find everything you own in your library.'}
      </p>
      {props.emailVerified ? (
        ''
      ) : (
        <Notice tone="info" title="One more thing: confirm your email">
          <p>
            We sent a link to <strong safe>{props.email}</strong>. Open it within 24 hours to
            confirm the address. Nothing there?{' '}
            <a href="/verify-email/resend">Send the link again</a>.
          </p>
        </Notice>
      )}
      <ul class="next-steps" role="list">
        {props.isCreator ? (
          <NextStep href="/dashboard" title="Open your dashboard">
            Projects, releases, sales and payouts.
          </NextStep>
        ) : (
          <NextStep href="/discover" title="Discover new work">
            Music, writing, film and tools from independent creators.
          </NextStep>
        )}
        {props.isCreator ? (
          <NextStep href={profileUrl} title="See your page">
            <span safe>{`${profileUrl} is yours.`}</span>
          </NextStep>
        ) : (
          <NextStep href="/settings" title="Your settings">
            Your name, email address, password and passkeys.
          </NextStep>
        )}
        <NextStep href="/library" title="Your library">
          Everything you buy or claim, ready to stream or download.
        </NextStep>
      </ul>
    </JoinSection>
  );
}

function NextStep(props: { href: string; title: string; children: Children }) {
  return (
    <li class="next-steps__item">
      <a class="next-steps__link" href={props.href} safe>
        {props.title}
      </a>
      <p class="next-steps__text">{props.children}</p>
    </li>
  );
}
