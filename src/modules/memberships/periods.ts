// Billing periods: pure date arithmetic on UTC calendar months and years.
export const DAY_MS = 86_400_000;

export function addInterval(from: Date, interval: 'month' | 'year'): Date {
  const next = new Date(from);
  if (interval === 'month') next.setUTCMonth(next.getUTCMonth() + 1);
  else next.setUTCFullYear(next.getUTCFullYear() + 1);
  return next;
}

export const later = (a: Date, b: Date): Date => (a.getTime() >= b.getTime() ? a : b);
