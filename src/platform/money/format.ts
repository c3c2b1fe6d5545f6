// Minor units for people: the currency's own form for pages, mail and receipts ("$12.50",
// "¥1,500", "KWD 1.500"), and the plain major-unit number form fields and CSV files hold
// ("12.50", "1500", "1.500"). Integer arithmetic and decimal strings only: Intl is given the
// exact decimal, never a float quotient.
import { currencyFormats } from './currency.js';

function requireSafeInteger(minor: number): void {
  if (!Number.isSafeInteger(minor)) throw new RangeError(`Not an amount in minor units: ${minor}`);
}

function decimalString(minor: number, digits: number): `${number}` {
  requireSafeInteger(minor);
  const sign = minor < 0 ? '-' : '';
  const text = String(Math.abs(minor)).padStart(digits + 1, '0');
  const decimal =
    digits === 0 ? `${sign}${text}` : `${sign}${text.slice(0, -digits)}.${text.slice(-digits)}`;
  if (!isNumericString(decimal)) throw new RangeError(`Not a decimal: ${decimal}`);
  return decimal;
}

function isNumericString(text: string): text is `${number}` {
  return /^-?\d+(\.\d+)?$/.test(text);
}

/**
 * Minor units as the plain number a form field or a CSV cell holds, in major units, with no
 * grouping: 1250 USD → "12.50", 1500 JPY → "1500", 1500 KWD → "1.500", -74 USD → "-0.74".
 */
export function toMajorUnits(minor: number, currency: string): string {
  return decimalString(minor, currencyFormats(currency).digits);
}

/** Every digit of the currency: 1500 USD → "$15.00", 1500 JPY → "¥1,500", -74 → "-$0.74". */
export function formatMoney(minor: number, currency: string): string {
  const formats = currencyFormats(currency);
  return formats.exact.format(decimalString(minor, formats.digits));
}

/** A price tag: whole amounts without the zeros. 1200 USD → "$12", 1250 USD → "$12.50". */
export function formatPrice(minor: number, currency: string): string {
  const formats = currencyFormats(currency);
  const scale = 10 ** formats.digits;
  if (minor % scale !== 0) return formatMoney(minor, currency);
  requireSafeInteger(minor);
  return formats.whole.format(minor / scale); // exact: a whole multiple divided by its scale
}

/** What to show as an example of an amount in form hints: "12.50", "1500", "12.500". */
export function amountExample(currency: string): string {
  const { digits } = currencyFormats(currency);
  return digits === 0 ? '1500' : `12.${'5'.padEnd(digits, '0')}`;
}
