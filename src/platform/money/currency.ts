// Currencies as ISO 4217 codes with their minor-unit digits (2 for USD and EUR, 0 for JPY, 3 for
// KWD and BHD), as Intl knows them. Building an Intl.NumberFormat costs far more than formatting
// with one (it loads locale data), so each currency's formats are made once and kept.

/** The largest amount any form, price or tip takes, in minor units: 1,000,000.00 in a
 * two-decimal currency, ¥100,000,000 or KWD 100,000.000. Anything above is a typo. */
export const MAX_AMOUNT = 100_000_000;

export interface CurrencyFormats {
  code: string;
  /** digits after the decimal point */
  digits: number;
  /** "$12.50", "¥1,500", "KWD 1.500" */
  exact: Intl.NumberFormat;
  /** "$12": whole amounts without the zeros */
  whole: Intl.NumberFormat;
  /** what people may write before or after the number: the symbol and the code */
  marks: readonly string[];
}

// The pages speak English: amounts read as an English reader expects ("$1,500.00").
const LOCALE = 'en-US';
const cache = new Map<string, CurrencyFormats>();

/** The formats of a currency code ("usd", " JPY" work too); a malformed code throws. */
export function currencyFormats(currency: string): CurrencyFormats {
  const found = cache.get(currency);
  if (found) return found;
  const code = currency.trim().toUpperCase();
  if (!/^[A-Z]{3}$/.test(code)) throw new RangeError(`Not a currency code: "${currency}"`);
  const exact = new Intl.NumberFormat(LOCALE, { style: 'currency', currency: code });
  const digits = exact.resolvedOptions().maximumFractionDigits ?? 2;
  const symbol = exact.formatToParts(0).find((part) => part.type === 'currency')?.value ?? code;
  const formats: CurrencyFormats = {
    code,
    digits,
    exact,
    whole: new Intl.NumberFormat(LOCALE, {
      style: 'currency',
      currency: code,
      maximumFractionDigits: 0,
    }),
    marks: symbol === code ? [code] : [symbol, code],
  };
  cache.set(currency, formats);
  return formats;
}

/** The currency's minor-unit digits: 2 for USD and EUR, 0 for JPY, 3 for KWD. */
export function minorDigits(currency: string): number {
  return currencyFormats(currency).digits;
}
