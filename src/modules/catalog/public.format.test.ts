import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { formatDate, formatDuration, isoDuration, priceLabel } from './public/format.js';

const price = (
  model: 'free' | 'fixed' | 'pwyw' | 'members',
  amounts: Partial<Record<'amount' | 'minimum' | 'suggested', number>> = {},
) => ({
  price_model: model,
  price_amount: amounts.amount ?? null,
  price_minimum: amounts.minimum ?? null,
  price_suggested: amounts.suggested ?? null,
});

describe('public labels', () => {
  test('prices in minor units read as people say them, in the currency’s own digits', () => {
    assert.equal(priceLabel(price('fixed', { amount: 1250 }), 'USD'), '$12.50');
    assert.equal(priceLabel(price('fixed', { amount: 5 }), 'USD'), '$0.05');
    assert.equal(priceLabel(price('fixed', { amount: 1200 }), 'EUR'), '€12');
    assert.equal(priceLabel(price('fixed', { amount: 1500 }), 'JPY'), '¥1,500');
    assert.equal(priceLabel(price('fixed', { amount: 1500 }), 'KWD'), 'KWD\u00a01.500');
    assert.equal(
      priceLabel(price('pwyw', { minimum: 1000 }), 'JPY'),
      'Name your price, from ¥1,000',
    );
  });

  test('price labels for each model', () => {
    assert.equal(priceLabel(price('free'), 'USD'), 'Free');
    assert.equal(priceLabel(price('fixed', { amount: 1200 }), 'USD'), '$12');
    assert.equal(priceLabel(price('pwyw', { minimum: 300 }), 'USD'), 'Name your price, from $3');
    assert.equal(
      priceLabel(price('pwyw', { minimum: 0, suggested: 500 }), 'USD'),
      'Name your price',
    );
    assert.equal(priceLabel(price('members'), 'USD'), 'Members');
  });

  test('chapter times and release dates', () => {
    assert.equal(formatDuration(0), '0:00');
    assert.equal(formatDuration(185), '3:05');
    assert.equal(formatDuration(3725), '1:02:05');
    assert.equal(isoDuration(185), 'PT3M5S');
    assert.equal(isoDuration(3600), 'PT1H0S');
    assert.equal(formatDate('2026-03-05'), '5 March 2026');
    assert.equal(formatDate(new Date('2026-11-27T23:30:00Z')), '27 November 2026');
  });
});
