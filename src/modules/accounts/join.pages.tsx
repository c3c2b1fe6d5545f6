// /join: the sign-up wizard. With htmx each POST answers with the next step's section, swapped
// in place (and its URL pushed); without JavaScript each POST answers 303 to the next step's
// own page. Invalid input re-renders the step with 422 and the fields' errors.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { AppError } from '../../platform/errors.js';
import { principalOf } from '../../platform/http/auth.js';
import { zodFieldErrors } from '../../platform/http/error-handler.js';
import { pageTitle } from '../../platform/views/layout.js';
import { render, wantsFragment } from '../../platform/views/render.js';
import { getViewContext } from '../../platform/views/view-context.js';
import type { AccountsRouteOptions } from './accounts.api.js';
import { LIMITS } from './accounts.rate-limits.js';
import { creatorTierSchema, displayNameSchema, signupSchema } from './accounts.schemas.js';
import { becomeCreator, signup } from './accounts.service.js';
import { changeDisplayName } from './settings.service.js';
import { requestMeta } from './security-log.js';
import { ensureDeviceId, setSessionCookie } from './session-cookie.js';
import { rotateSessionToken } from './sessions.service.js';
import { findUserById } from './users.repository.js';
import {
  appErrorWith,
  formFields,
  markRateLimited,
  queryValue,
  safeNextPath,
  seeOther,
  type FormFields,
} from './views/auth-http.js';
import { waitPhrase } from './views/auth-forms.js';
import {
  AccountStep,
  CreateStep,
  DoneStep,
  ProfileStep,
  type AccountStepProps,
} from './views/auth-join.js';
import {
  JOIN_STEPS,
  joinStepTitle,
  type JoinStep,
  type StepFocus,
} from './views/auth-join-shell.js';

const accountFormSchema = signupSchema.omit({ display_name: true });
/** the service's answers that are about one field of step 1 */
const ACCOUNT_FIELD_CODES = [
  'HANDLE_TAKEN',
  'EMAIL_TAKEN',
  'PASSWORD_TOO_COMMON',
  'PASSWORD_TOO_PREDICTABLE',
];

function pathOf(step: JoinStep): string {
  return JOIN_STEPS.find((s) => s.id === step)?.path ?? '/join';
}

/** The step's section; inside an htmx swap it also carries the <title> htmx applies. */
function sendStep(
  request: FastifyRequest,
  reply: FastifyReply,
  step: JoinStep,
  body: JSX.Element,
  status?: number,
) {
  const title = `${joinStepTitle(step)} · Join`;
  const fragment = wantsFragment(request);
  return render(reply, {
    title,
    status,
    body: (
      <>
        {fragment ? <title safe>{pageTitle(title)}</title> : ''}
        {body}
      </>
    ),
  });
}

/**
 * Where a new account goes instead of the wizard's next step: only back to a purchase's claim
 * link (the buyer came to keep what they bought; the profile can wait).
 */
function afterJoin(value: string | undefined): string | undefined {
  const next = safeNextPath(value);
  return next.startsWith('/claim/') ? next : undefined;
}

/** After a step's POST: the next step in place for htmx, a 303 to its page otherwise. */
async function advance(
  request: FastifyRequest,
  reply: FastifyReply,
  step: JoinStep,
  body: () => Promise<JSX.Element> | JSX.Element,
): Promise<FastifyReply> {
  if (!wantsFragment(request)) return reply.redirect(pathOf(step), 303);
  reply.header('hx-push-url', pathOf(step));
  return sendStep(request, reply, step, await body());
}

/** Later steps need the account step 1 made; a lapsed session starts at the sign-in page. */
async function requireJoined(request: FastifyRequest, reply: FastifyReply) {
  if (request.principal) return;
  const path = request.url.split('?', 1)[0] ?? '/join';
  return seeOther(request, reply, `/login?next=${encodeURIComponent(path)}`);
}

export async function joinPages(
  app: FastifyInstance,
  { deps, limiter }: AccountsRouteOptions,
): Promise<void> {
  const { config } = deps;
  const host = config.publicUrl.host;

  const focusOf = (request: FastifyRequest): StepFocus =>
    wantsFragment(request) ? 'heading' : 'none';

  function accountStep(
    request: FastifyRequest,
    reply: FastifyReply,
    fields: FormFields,
    extra: Pick<AccountStepProps, 'errors' | 'problem'> = {},
    status?: number,
  ) {
    const failed = status !== undefined;
    const body = (
      <AccountStep
        csrfToken={getViewContext(request).csrfToken}
        values={{ email: fields.email ?? '', handle: fields.handle ?? '' }}
        host={host}
        next={afterJoin(fields.next)}
        focus={failed ? 'problem' : focusOf(request)}
        {...extra}
      />
    );
    return sendStep(request, reply, 'account', body, status);
  }

  async function createStep(request: FastifyRequest, focus: StepFocus) {
    const user = await findUserById(deps.db, principalOf(request).user.id);
    return (
      <CreateStep
        csrfToken={getViewContext(request).csrfToken}
        tier={user?.creator_tier ?? undefined}
        focus={focus}
      />
    );
  }

  async function doneStep(request: FastifyRequest, focus: StepFocus) {
    const user = await findUserById(deps.db, principalOf(request).user.id);
    if (!user) throw new AppError('NOT_SIGNED_IN', 401, 'Please sign in first.');
    return (
      <DoneStep
        email={user.email}
        emailVerified={user.email_verified_at !== null}
        handle={user.handle}
        isCreator={user.is_creator}
        focus={focus}
      />
    );
  }

  app.get('/join', async (request, reply) => {
    const next = afterJoin(queryValue(request, 'next'));
    if (request.principal) return reply.redirect(next ?? '/', 303);
    // A receipt's claim link brings the buyer here with the email the purchase went to.
    const email = queryValue(request, 'email');
    return accountStep(request, reply, { email: email?.slice(0, 320), next });
  });

  app.post('/join', async (request, reply) => {
    if (request.principal) return seeOther(request, reply, '/');
    const fields = formFields(request.body);
    const parsed = accountFormSchema.safeParse(fields);
    if (!parsed.success) {
      return accountStep(request, reply, fields, { errors: zodFieldErrors(parsed.error) }, 422);
    }
    try {
      // Counted only for attempts that reach the service: those can say an email is taken.
      await limiter.enforce(reply, LIMITS.signupPerIp, request.ip);
      const deviceId = ensureDeviceId(request, reply, config);
      const { session } = await signup(deps, parsed.data, requestMeta(request), deviceId);
      setSessionCookie(reply, config, session.token, session.expiresAt);
      // A full page load, even under htmx (HX-Redirect): the header, the CSRF meta tag and
      // htmx's headers on <body> all change with the new session, which a swap would not do.
      return await seeOther(request, reply, afterJoin(fields.next) ?? pathOf('profile'));
    } catch (error) {
      const limited = appErrorWith(error, 'RATE_LIMITED');
      if (limited) {
        const problem = {
          title: 'Too many sign-ups from this network',
          text: `Please try again ${waitPhrase(markRateLimited(reply, limited))}.`,
        };
        return accountStep(request, reply, fields, { problem }, 429);
      }
      const refused = appErrorWith(error, ...ACCOUNT_FIELD_CODES);
      if (refused?.fields)
        return accountStep(request, reply, fields, { errors: refused.fields }, 422);
      throw error;
    }
  });

  await app.register(async (joined) => {
    joined.addHook('preHandler', requireJoined);

    joined.get('/join/profile', async (request, reply) => {
      const { user } = principalOf(request);
      const body = (
        <ProfileStep
          csrfToken={getViewContext(request).csrfToken}
          handle={user.handle}
          displayName={user.displayName}
          focus={focusOf(request)}
        />
      );
      return sendStep(request, reply, 'profile', body);
    });

    joined.post('/join/profile', async (request, reply) => {
      const { user } = principalOf(request);
      const fields = formFields(request.body);
      const parsed = displayNameSchema.safeParse(fields.display_name ?? '');
      if (!parsed.success) {
        const body = (
          <ProfileStep
            csrfToken={getViewContext(request).csrfToken}
            handle={user.handle}
            displayName={fields.display_name ?? ''}
            error={parsed.error.issues[0]?.message ?? 'Enter a name.'}
            focus="problem"
          />
        );
        return sendStep(request, reply, 'profile', body, 422);
      }
      await changeDisplayName(deps, user.id, parsed.data);
      return advance(request, reply, 'create', () => createStep(request, 'heading'));
    });

    joined.get('/join/create', async (request, reply) => {
      return sendStep(request, reply, 'create', await createStep(request, focusOf(request)));
    });

    joined.post('/join/create', async (request, reply) => {
      const principal = principalOf(request);
      const fields = formFields(request.body);
      const tier = creatorTierSchema.safeParse(fields.tier);
      if (!tier.success) {
        const body = (
          <CreateStep
            csrfToken={getViewContext(request).csrfToken}
            error="Choose one of the four tiers, or skip this step for now."
            focus="problem"
          />
        );
        return sendStep(request, reply, 'create', body, 422);
      }
      await becomeCreator(deps, principal.user.id, tier.data, requestMeta(request));
      // A privilege change gets a new session token, so a token stolen before it is worthless.
      // The session id stays, and with it the CSRF token.
      if (principal.via === 'session') {
        const rotated = await rotateSessionToken(deps.db, principal.credentialId);
        if (rotated) setSessionCookie(reply, config, rotated.token, rotated.expiresAt);
      }
      return advance(request, reply, 'done', () => doneStep(request, 'heading'));
    });

    joined.get('/join/done', async (request, reply) => {
      return sendStep(request, reply, 'done', await doneStep(request, focusOf(request)));
    });
  });
}
