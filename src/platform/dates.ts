// Calendar dates as people read them on pages and in mail: "27 November 2026", in UTC, so a
// date means the same day wherever the server runs.
const DATE_FORMAT = new Intl.DateTimeFormat('en-GB', {
  day: 'numeric',
  month: 'long',
  year: 'numeric',
  timeZone: 'UTC',
});

/** "2026-11-27" or a Date → "27 November 2026" (calendar dates are read as UTC). */
export function formatDate(value: string | Date): string {
  const date = typeof value === 'string' ? new Date(`${value.slice(0, 10)}T00:00:00Z`) : value;
  return Number.isNaN(date.getTime()) ? '' : DATE_FORMAT.format(date);
}

/** The YYYY-MM-DD form for <time datetime>. */
export function isoDate(value: string | Date): string {
  return typeof value === 'string' ? value.slice(0, 10) : value.toISOString().slice(0, 10);
}
