// The member's mail when a membership ends (the processor deleted the subscription: canceled and
// the paid period over, a renewal that failed past its retries, or ended on the processor's
// side). It is queued by the state change to `ended`, in its transaction, so one end is one mail
// however often the processor repeats the event.
import type { Config } from '../../config.js';
import type { Trx } from '../../db/database.js';
import { formatDate } from '../../platform/dates.js';
import { queueMail } from '../../platform/mail/mail.js';
import { DAY_MS } from './periods.js';
import { findMailDetails, GRACE_DAYS, type MembershipRow } from './memberships.repository.js';

/**
 * When the member's access ended, by the same rule as hasAccess: a canceled membership at the
 * end of its paid period, a past-due one when its grace ran out, and otherwise now.
 */
export function accessEndedAt(
  membership: Pick<MembershipRow, 'status' | 'current_period_end' | 'past_due_since'>,
  now: Date,
): Date {
  if (membership.status === 'canceled' && membership.current_period_end < now) {
    return membership.current_period_end;
  }
  if (membership.status === 'past_due' && membership.past_due_since !== null) {
    const graceEnd = new Date(membership.past_due_since.getTime() + GRACE_DAYS * DAY_MS);
    if (graceEnd < now) return graceEnd;
  }
  return now;
}

/** Why it ended, when the membership's last state says so. */
function reason(membership: Pick<MembershipRow, 'status'>): string | undefined {
  if (membership.status === 'canceled') return 'It was canceled, and the period paid for is over.';
  if (membership.status === 'past_due') return 'Its renewal payment did not go through.';
  return undefined;
}

/**
 * Queues the mail to the member whose membership just ended. `membership` is the row as it was
 * before the end (its status says why it ended, unless `ended` says it: a lost dispute).
 */
export async function mailMembershipEnded(
  trx: Trx,
  config: Pick<Config, 'publicUrl'>,
  membership: MembershipRow,
  now: Date,
  ended?: { why: string; endedAt: Date },
): Promise<void> {
  const { details, member } = await findMailDetails(trx, membership);
  const to = member?.email ?? membership.member_email;
  if (!to) return;
  const rejoin = new URL(
    `/@${encodeURIComponent(details.creator_handle)}/${encodeURIComponent(details.project_slug)}/membership`,
    config.publicUrl,
  ).href;
  const endedOn = formatDate(ended?.endedAt ?? accessEndedAt(membership, now));
  const why = ended?.why ?? reason(membership);
  const lines = [
    `Hi${member?.display_name ? ` ${member.display_name}` : ''},`,
    '',
    `Your "${details.tier}" membership of ${details.project} by ${details.creator_name} has ended.` +
      (why ? ` ${why}` : ''),
    `Your access to its members-only work ended on ${endedOn}, and nothing more will be charged for it.`,
    '',
    `To join again: ${rejoin}`,
    '',
    '— Makenot.work',
  ];
  await queueMail(trx, {
    to,
    subject: `Your membership has ended: ${details.project}`.slice(0, 150).replace(/[\r\n]+/g, ' '),
    text: lines.join('\n'),
  });
}
