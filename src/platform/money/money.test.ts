// The money module: what people read, what forms hold and what people type agree for every
// currency, whatever its minor-unit digits (properties over USD, EUR, JPY and KWD), and what
// is not an amount of that currency is refused with a field error, never rounded or guessed.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import {
  MAX_AMOUNT,
  formatMoney,
  formatPrice,
  minorDigits,
  parseMajorUnits,
  toMajorUnits,
  type ParsedAmount,
} from './index.js';

/** ISO 4217's minor units, written down here rather than asked of the code under test. */
const ISO_DIGITS = { USD: 2, EUR: 2, JPY: 0, KWD: 3 } as const;
const CURRENCIES = Object.keys(ISO_DIGITS) as (keyof typeof ISO_DIGITS)[];
const ANY = { max: Number.MAX_SAFE_INTEGER };

const currency = fc.constantFrom(...CURRENCIES);
const amount = fc.integer({ min: 0, max: Number.MAX_SAFE_INTEGER });

function minorOf(parsed: ParsedAmount): number {
  assert.ok(parsed.ok, parsed.ok ? '' : parsed.message);
  return parsed.minor;
}

function problemOf(parsed: ParsedAmount): string {
  if (parsed.ok) assert.fail(`should be refused, read as ${String(parsed.minor)}`);
  return parsed.problem;
}

describe('money properties', () => {
  test('the minor-unit digits are ISO 4217’s', () => {
    for (const code of CURRENCIES) assert.equal(minorDigits(code), ISO_DIGITS[code], code);
  });

  test('any amount written in a form field reads back as the same amount', () => {
    fc.assert(
      fc.property(currency, amount, (code, minor) => {
        const field = toMajorUnits(minor, code);
        assert.match(field, /^\d+(\.\d+)?$/, 'plain digits, no grouping');
        const decimals = field.split('.')[1]?.length ?? 0;
        assert.equal(decimals, ISO_DIGITS[code]);
        assert.equal(minorOf(parseMajorUnits(field, code, ANY)), minor);
      }),
      { numRuns: 2000 },
    );
  });

  test('what pages show is what Intl says, and pasted back it is the same amount', () => {
    fc.assert(
      fc.property(currency, fc.integer({ min: -1e12, max: 1e12 }), (code, minor) => {
        const intl = new Intl.NumberFormat('en-US', { style: 'currency', currency: code });
        assert.equal(formatMoney(minor, code), intl.format(minor / 10 ** ISO_DIGITS[code]));
        if (minor >= 0) {
          assert.equal(minorOf(parseMajorUnits(formatMoney(minor, code), code, ANY)), minor);
          assert.equal(minorOf(parseMajorUnits(formatPrice(minor, code), code, ANY)), minor);
        }
      }),
      { numRuns: 2000 },
    );
  });

  test('the exact format holds every digit of the largest safe amounts', () => {
    fc.assert(
      fc.property(currency, amount, (code, minor) => {
        const digitsShown = formatMoney(minor, code).replace(/\D/g, '');
        assert.equal(digitsShown.replace(/^0+(?=\d)/, ''), String(minor));
      }),
    );
  });

  test('a minus sign goes in front, the digits stay the same', () => {
    fc.assert(
      fc.property(currency, fc.integer({ min: 1, max: Number.MAX_SAFE_INTEGER }), (code, m) => {
        assert.equal(toMajorUnits(-m, code), `-${toMajorUnits(m, code)}`);
      }),
    );
  });

  test('more decimals than the currency has are refused, never rounded', () => {
    fc.assert(
      fc.property(
        currency,
        fc.integer({ min: 0, max: 999_999 }),
        fc.stringMatching(/^\d{1,6}$/),
        (code, whole, fraction) => {
          fc.pre(fraction.length > ISO_DIGITS[code]);
          assert.equal(problemOf(parseMajorUnits(`${whole}.${fraction}`, code)), 'decimals');
        },
      ),
    );
  });
});

describe('money for people', () => {
  test('pages show the currency’s own form', () => {
    assert.equal(formatMoney(1250, 'USD'), '$12.50');
    assert.equal(formatMoney(1250, 'EUR'), '€12.50');
    assert.equal(formatMoney(1500, 'JPY'), '¥1,500');
    assert.equal(formatMoney(1500, 'KWD'), 'KWD\u00a01.500');
    assert.equal(formatMoney(-74, 'USD'), '-$0.74');
    assert.equal(formatPrice(1200, 'USD'), '$12');
    assert.equal(formatPrice(1250, 'USD'), '$12.50');
    assert.equal(formatPrice(1500, 'JPY'), '¥1,500');
    assert.equal(formatPrice(1500000, 'KWD'), 'KWD\u00a01,500');
  });

  test('form fields hold plain major units', () => {
    assert.equal(toMajorUnits(1250, 'USD'), '12.50');
    assert.equal(toMajorUnits(5, 'EUR'), '0.05');
    assert.equal(toMajorUnits(1500, 'JPY'), '1500');
    assert.equal(toMajorUnits(1500, 'KWD'), '1.500');
    assert.equal(toMajorUnits(1500000, 'KWD'), '1500.000');
  });

  test('what people type', () => {
    const cases: [string, string, number][] = [
      ['12', 'USD', 1200],
      ['12.5', 'USD', 1250],
      ['12,50', 'EUR', 1250],
      ['0.05', 'USD', 5],
      ['.5', 'USD', 50],
      [' 12 ', 'usd', 1200],
      ['$1,500.50', 'USD', 150050],
      ['1.234,56', 'EUR', 123456],
      ['€ 3', 'EUR', 300],
      ['12 EUR', 'EUR', 1200],
      ['1500', 'JPY', 1500],
      ['¥1,500', 'JPY', 1500],
      ['1,500', 'JPY', 1500],
      ['1.500', 'KWD', 1500],
      ['1,5', 'KWD', 1500],
      ['0', 'USD', 0],
    ];
    for (const [text, code, minor] of cases) {
      assert.equal(minorOf(parseMajorUnits(text, code)), minor, `${text} ${code}`);
    }
  });

  test('refusals: each with its problem and a field error saying what to type', () => {
    const cases: [string, string, string][] = [
      ['', 'USD', 'missing'],
      ['   ', 'USD', 'missing'],
      ['12.345', 'USD', 'decimals'],
      ['1.500', 'USD', 'decimals'],
      ['1.5', 'JPY', 'decimals'],
      ['1,5', 'JPY', 'decimals'],
      ['1.2345', 'KWD', 'decimals'],
      ['-5', 'USD', 'negative'],
      ['-$5', 'USD', 'negative'],
      ['$-5', 'USD', 'negative'],
      ['abc', 'USD', 'format'],
      ['12abc', 'USD', 'format'],
      ['1e5', 'USD', 'format'],
      ['0x10', 'USD', 'format'],
      ['..', 'USD', 'format'],
      ['1,2,3', 'USD', 'format'],
      ['12,34.5', 'USD', 'format'],
      ['£5', 'USD', 'format'],
      ['+5', 'USD', 'format'],
      ['１２', 'USD', 'format'],
      ['1000000.01', 'USD', 'too_large'],
      ['100000001', 'JPY', 'too_large'],
      ['100000.001', 'KWD', 'too_large'],
      ['99999999999999999999999999', 'USD', 'too_large'],
    ];
    for (const [text, code, problem] of cases) {
      const parsed = parseMajorUnits(text, code);
      assert.equal(problemOf(parsed), problem, `${JSON.stringify(text)} ${code}`);
      assert.ok(!parsed.ok && parsed.message.length > 0);
    }
    const jpy = parseMajorUnits('1.5', 'JPY');
    assert.equal(
      jpy.ok ? '' : jpy.message,
      'JPY has no decimal places: enter a whole amount, like 1500.',
    );
    const large = parseMajorUnits('1000000.01', 'USD');
    assert.equal(large.ok ? '' : large.message, 'Enter at most $1,000,000.00.');
  });

  test('the largest amount is accepted, one minor unit more is not', () => {
    for (const code of CURRENCIES) {
      assert.equal(minorOf(parseMajorUnits(toMajorUnits(MAX_AMOUNT, code), code)), MAX_AMOUNT);
      assert.equal(
        problemOf(parseMajorUnits(toMajorUnits(MAX_AMOUNT + 1, code), code)),
        'too_large',
      );
    }
    assert.equal(problemOf(parseMajorUnits('5.01', 'USD', { max: 500 })), 'too_large');
  });

  test('a malformed currency code or a fractional amount is a programming error', () => {
    assert.throws(() => formatMoney(100, 'US'), RangeError);
    assert.throws(() => toMajorUnits(12.5, 'USD'), RangeError);
    assert.throws(() => formatPrice(Number.MAX_SAFE_INTEGER + 1, 'JPY'), RangeError);
  });
});
