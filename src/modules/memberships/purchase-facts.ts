// A membership's facts on its receipt and thank-you page: the tier, how it is billed, when it
// renews or ends, and where to manage or cancel it.
import { formatDate } from '../../platform/dates.js';
import type { PurchaseFacts } from '../payments/index.js';
import { findMembershipOfOrder } from './memberships.repository.js';

export const membershipPurchaseFacts: PurchaseFacts = async (db, order) => {
  if (order.kind !== 'membership') return [];
  const membership = await findMembershipOfOrder(db, order.id);
  if (!membership) return [];
  const ending = membership.cancel_at_period_end || membership.status === 'canceled';
  return [
    { label: 'Membership', value: `${membership.tier_name}, ${membership.project_title}` },
    { label: 'Billed', value: membership.interval === 'year' ? 'Every year' : 'Every month' },
    {
      label: ending ? 'Ends on' : 'Renews on',
      value: formatDate(membership.current_period_end),
    },
    {
      label: 'Manage or cancel',
      value: 'Your memberships',
      href: '/library/memberships',
    },
  ];
};
