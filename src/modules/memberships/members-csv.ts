// The members list as CSV (RFC 4180). A cell that starts with = + - @ (or a tab or carriage
// return) would run as a formula in a spreadsheet: it is prefixed with a quote mark.
import type { MemberRow } from './memberships.repository.js';
import { hasAccess } from './memberships.repository.js';

export function csvCell(value: string): string {
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) ? `"${safe.replaceAll('"', '""')}"` : safe;
}

export function memberName(row: MemberRow): string {
  return row.member_handle ? `${row.member_name ?? ''} (@${row.member_handle})` : 'Guest';
}

export function memberEmail(row: MemberRow): string {
  return row.member_account_email ?? row.member_email ?? '';
}

/** "renews", "ends" or "ended": what happens at the period end. */
export function periodLabel(row: MemberRow): 'renews' | 'ends' | 'ended' {
  if (row.status === 'ended' || !hasAccess(row)) return 'ended';
  return row.cancel_at_period_end || row.status === 'canceled' ? 'ends' : 'renews';
}

export function membersCsv(rows: readonly MemberRow[]): string {
  const header = ['member', 'email', 'tier', 'interval', 'status', 'since', 'period_end', 'next'];
  const lines = [header.join(',')];
  for (const row of rows) {
    lines.push(
      [
        memberName(row),
        memberEmail(row),
        row.tier_name,
        row.interval,
        row.status,
        row.started_at.toISOString(),
        row.current_period_end.toISOString(),
        periodLabel(row),
      ]
        .map(csvCell)
        .join(','),
    );
  }
  return `${lines.join('\r\n')}\r\n`;
}
