// The one-time code algorithm against the published test vectors: RFC 4226 appendix D (HOTP),
// RFC 6238 appendix B (TOTP with SHA-1, SHA-256 and SHA-512) and RFC 4648 §10 (base32).
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  decodeBase32,
  encodeBase32,
  hotp,
  matchTotp,
  newTotpSecret,
  otpauthUri,
  totp,
  type HotpAlgorithm,
} from './totp.algorithm.js';

const SEEDS: Record<HotpAlgorithm, Buffer> = {
  sha1: Buffer.from('12345678901234567890'),
  sha256: Buffer.from('12345678901234567890123456789012'),
  sha512: Buffer.from('1234567890123456789012345678901234567890123456789012345678901234'),
};

describe('HOTP (RFC 4226 appendix D)', () => {
  const expected = [
    '755224',
    '287082',
    '359152',
    '969429',
    '338314',
    '254676',
    '287922',
    '162583',
    '399871',
    '520489',
  ];
  test('counters 0 to 9', () => {
    expected.forEach((code, counter) => assert.equal(hotp(SEEDS.sha1, counter), code));
  });
});

describe('TOTP (RFC 6238 appendix B)', () => {
  const vectors: [number, string, HotpAlgorithm][] = [
    [59, '94287082', 'sha1'],
    [59, '46119246', 'sha256'],
    [59, '90693936', 'sha512'],
    [1111111109, '07081804', 'sha1'],
    [1111111109, '68084774', 'sha256'],
    [1111111109, '25091201', 'sha512'],
    [1111111111, '14050471', 'sha1'],
    [1111111111, '67062674', 'sha256'],
    [1111111111, '99943326', 'sha512'],
    [1234567890, '89005924', 'sha1'],
    [1234567890, '91819424', 'sha256'],
    [1234567890, '93441116', 'sha512'],
    [2000000000, '69279037', 'sha1'],
    [2000000000, '90698825', 'sha256'],
    [2000000000, '38618901', 'sha512'],
    [20000000000, '65353130', 'sha1'],
    [20000000000, '77737706', 'sha256'],
    [20000000000, '47863826', 'sha512'],
  ];
  for (const [seconds, code, algorithm] of vectors) {
    test(`T=${seconds} ${algorithm}`, () => {
      assert.equal(totp(SEEDS[algorithm], seconds * 1000, { digits: 8, algorithm }), code);
    });
  }

  test('six digits are the last six of the eight (same truncation, smaller modulus)', () => {
    assert.equal(totp(SEEDS.sha1, 59_000), '287082');
    assert.equal(totp(SEEDS.sha1, 1111111109_000), '081804');
  });
});

describe('matchTotp', () => {
  const secret = SEEDS.sha1;
  const now = 1111111109_000; // step 37037036
  test('accepts the current step and one either side, and names the step', () => {
    assert.equal(matchTotp(secret, totp(secret, now), now), 37037036);
    assert.equal(matchTotp(secret, totp(secret, now - 30_000), now), 37037035);
    assert.equal(matchTotp(secret, totp(secret, now + 30_000), now), 37037037);
  });
  test('refuses codes two steps away, wrong codes and anything not six digits', () => {
    assert.equal(matchTotp(secret, totp(secret, now - 60_000), now), undefined);
    assert.equal(matchTotp(secret, totp(secret, now + 60_000), now), undefined);
    const right = totp(secret, now);
    const wrong = String((Number(right) + 1) % 1_000_000).padStart(6, '0');
    assert.equal(matchTotp(secret, wrong, now), undefined);
    for (const bad of ['', '12345', '1234567', '12a456', ` ${right}`]) {
      assert.equal(matchTotp(secret, bad, now), undefined);
    }
  });
});

describe('base32 (RFC 4648 §10)', () => {
  const vectors: [string, string][] = [
    ['', ''],
    ['f', 'MY'],
    ['fo', 'MZXQ'],
    ['foo', 'MZXW6'],
    ['foob', 'MZXW6YQ'],
    ['fooba', 'MZXW6YTB'],
    ['foobar', 'MZXW6YTBOI'],
  ];
  for (const [plain, encoded] of vectors) {
    test(`"${plain}"`, () => {
      assert.equal(encodeBase32(Buffer.from(plain)), encoded);
      assert.equal(decodeBase32(encoded).toString(), plain);
    });
  }
  test('decoding forgives case, spaces and padding; refuses other characters', () => {
    assert.equal(decodeBase32('mzxw 6ytb oi======').toString(), 'foobar');
    assert.throws(() => decodeBase32('MZXW1'), RangeError);
  });
  test('secrets are 20 random bytes and survive the round trip', () => {
    const secret = newTotpSecret();
    assert.equal(secret.length, 20);
    assert.equal(encodeBase32(secret).length, 32);
    assert.deepEqual(decodeBase32(encodeBase32(secret)), secret);
  });
});

test('otpauth URI names issuer and account and carries the parameters', () => {
  const uri = otpauthUri({
    secret: Buffer.from('foobar'),
    issuer: 'Makenot.work',
    account: 'ada+1@example.com',
  });
  assert.equal(
    uri,
    'otpauth://totp/Makenot.work:ada%2B1%40example.com?secret=MZXW6YTBOI&issuer=Makenot.work&algorithm=SHA1&digits=6&period=30',
  );
});
