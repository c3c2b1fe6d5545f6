// Money for people: minor units shown in the currency's own form ("$15.00", "¥1,500") and an
// amount typed in major units ("15", "7.50") read back as minor units, without floats.
const formatters = new Map<string, Intl.NumberFormat>();

function formatterFor(currency: string): Intl.NumberFormat {
  let formatter = formatters.get(currency);
  if (!formatter) {
    formatter = new Intl.NumberFormat('en-US', { style: 'currency', currency });
    formatters.set(currency, formatter);
  }
  return formatter;
}

/** The currency's minor-unit digits: 2 for USD and EUR, 0 for JPY, 3 for KWD. */
export function minorDigits(currency: string): number {
  return formatterFor(currency).resolvedOptions().maximumFractionDigits ?? 2;
}

/** 1500 USD → "$15.00", 1500 JPY → "¥1,500", -74 USD → "-$0.74". */
export function formatMoney(minor: number, currency: string): string {
  return formatterFor(currency).format(minor / 10 ** minorDigits(currency));
}

/** Minor units as the plain number a form field shows: 1500 USD → "15.00". */
export function toMajorInput(minor: number, currency: string): string {
  const digits = minorDigits(currency);
  if (digits === 0) return String(minor);
  const text = String(minor).padStart(digits + 1, '0');
  return `${text.slice(0, -digits)}.${text.slice(-digits)}`;
}

export type ParsedAmount =
  { ok: true; minor: number } | { ok: false; problem: 'missing' | 'format' | 'decimals' };

/** "15", "15.5", "15,50" (a comma works as the decimal point too) → minor units. */
export function parseMajorAmount(raw: string, currency: string): ParsedAmount {
  const text = raw.trim().replace(/[\s\u00a0]/g, '');
  if (text === '') return { ok: false, problem: 'missing' };
  const match = /^(\d{1,12})(?:[.,](\d+))?$/.exec(text);
  if (!match?.[1]) return { ok: false, problem: 'format' };
  const digits = minorDigits(currency);
  const fraction = match[2] ?? '';
  if (fraction.length > digits) return { ok: false, problem: 'decimals' };
  const minor = Number(match[1]) * 10 ** digits + Number(fraction.padEnd(digits, '0') || '0');
  if (!Number.isSafeInteger(minor)) return { ok: false, problem: 'format' };
  return { ok: true, minor };
}
