// Amounts typed by people, in major units of a currency, read as integer minor units: "12",
// "12.5", "12,50", "$1,500.00", "1500" for JPY, "1.500" for KWD. Refused, with a field error
// that says what to type: more decimals than the currency has (never rounded), a minus sign,
// anything that is not a number, and more than the largest amount we take.
//
// Separators follow the English pages: "." is the decimal point and "," groups thousands when
// exactly three digits follow it ("1,500" is fifteen hundred in every currency); otherwise a
// single "," is a decimal comma ("12,50"). With both, the last one is the decimal mark
// ("1.234,56"); a mark repeated ("1.500.000") groups thousands.
import { currencyFormats, MAX_AMOUNT, type CurrencyFormats } from './currency.js';
import { amountExample, formatMoney } from './format.js';

export type AmountProblem = 'missing' | 'format' | 'decimals' | 'negative' | 'too_large';

export type ParsedAmount =
  { ok: true; minor: number } | { ok: false; problem: AmountProblem; message: string };

export interface ParseOptions {
  /** the largest amount accepted, in minor units (default MAX_AMOUNT) */
  max?: number;
}

/** "12.50" → 1250 (USD), "1500" → 1500 (JPY), "1.500" → 1500 (KWD); or why not. */
export function parseMajorUnits(
  text: string,
  currency: string,
  options: ParseOptions = {},
): ParsedAmount {
  const formats = currencyFormats(currency);
  const max = options.max ?? MAX_AMOUNT;
  const fail = (problem: AmountProblem): ParsedAmount => ({
    ok: false,
    problem,
    message: messageFor(problem, formats, max),
  });
  const { negative, number } = withoutMarks(text, formats);
  if (number === '') return fail(negative ? 'format' : 'missing');
  const parts = splitDecimal(number);
  if (!parts) return fail('format');
  if (negative) return fail('negative');
  if (parts.fraction.length > formats.digits) return fail('decimals');
  const whole = parts.whole.replace(/^0+(?=\d)/, '');
  if (whole.length > 20) return fail('too_large');
  const minor =
    BigInt(whole || '0') * 10n ** BigInt(formats.digits) +
    BigInt(parts.fraction.padEnd(formats.digits, '0') || '0');
  if (minor > BigInt(max)) return fail('too_large');
  return { ok: true, minor: Number(minor) };
}

/** The text without spaces, the currency's symbol or code, and a leading minus sign. */
function withoutMarks(text: string, formats: CurrencyFormats) {
  let rest = text.replace(/[\s\u00a0\u202f]/g, '');
  const sign = /^[-\u2212]/;
  // a minus sign may stand before the symbol ("-$5") or after it ("$-5")
  const signFirst = sign.test(rest);
  if (signFirst) rest = rest.slice(1);
  for (const mark of formats.marks) {
    const upper = rest.toUpperCase();
    if (upper.startsWith(mark.toUpperCase())) rest = rest.slice(mark.length);
    else if (upper.endsWith(mark.toUpperCase())) rest = rest.slice(0, -mark.length);
  }
  const signAfter = !signFirst && sign.test(rest);
  if (signAfter) rest = rest.slice(1);
  const negative = signFirst || signAfter;
  return { negative, number: rest };
}

/** "1,234.56" → { whole: "1234", fraction: "56" }; undefined when it is not a number. */
function splitDecimal(text: string): { whole: string; fraction: string } | undefined {
  if (!/^[\d.,]+$/.test(text)) return undefined;
  const lastDot = text.lastIndexOf('.');
  const lastComma = text.lastIndexOf(',');
  let decimal: string | undefined;
  let group: string | undefined;
  if (lastDot >= 0 && lastComma >= 0) {
    [decimal, group] = lastDot > lastComma ? ['.', ','] : [',', '.'];
  } else if (lastDot >= 0 || lastComma >= 0) {
    const mark = lastDot >= 0 ? '.' : ',';
    const repeated = text.indexOf(mark) !== text.lastIndexOf(mark);
    const thousands = mark === ',' && /^\d{1,3},\d{3}$/.test(text);
    if (repeated || thousands) group = mark;
    else decimal = mark;
  }
  const at = decimal === undefined ? text.length : text.lastIndexOf(decimal);
  const whole = text.slice(0, at);
  const fraction = text.slice(at + 1);
  if (!/^\d*$/.test(fraction) || (whole === '' && fraction === '')) return undefined;
  if (group === undefined) return /^\d*$/.test(whole) ? { whole, fraction } : undefined;
  const g = group === '.' ? '\\.' : ',';
  if (!new RegExp(`^\\d{1,3}(${g}\\d{3})+$`).test(whole)) return undefined;
  return { whole: whole.replaceAll(group, ''), fraction };
}

function messageFor(problem: AmountProblem, formats: CurrencyFormats, max: number): string {
  const example = amountExample(formats.code);
  switch (problem) {
    case 'missing':
      return `Enter an amount, like ${example}.`;
    case 'format':
      return `Enter an amount in numbers, like ${example}.`;
    case 'decimals':
      return formats.digits === 0
        ? `${formats.code} has no decimal places: enter a whole amount, like ${example}.`
        : `Use at most ${formats.digits} decimal places, like ${example}.`;
    case 'negative':
      return 'Enter an amount of 0 or more.';
    case 'too_large':
      return `Enter at most ${formatMoney(max, formats.code)}.`;
  }
}
