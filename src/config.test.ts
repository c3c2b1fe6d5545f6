import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { ConfigError, loadConfig } from './config.js';

let dataDir: string;
before(async () => {
  dataDir = await mkdtemp(path.join(tmpdir(), 'makenot-config-'));
});
after(() => rm(dataDir, { recursive: true, force: true }));

const base = () => ({ DATA_DIR: dataDir });

function configError(env: Record<string, string>): ConfigError {
  try {
    loadConfig({ ...base(), ...env });
  } catch (error) {
    assert.ok(error instanceof ConfigError, `expected a ConfigError, got ${String(error)}`);
    return error;
  }
  assert.fail('expected loadConfig to throw');
}

describe('loadConfig', () => {
  test('embedded defaults from API.md', () => {
    const config = loadConfig(base());
    assert.equal(config.port, 3000);
    assert.equal(config.host, '127.0.0.1');
    assert.equal(config.publicUrl.href, 'http://localhost:3000/');
    assert.equal(config.databaseUrl, undefined);
    assert.equal(config.s3, undefined);
    assert.equal(config.smtpUrl, undefined);
    assert.equal(config.payments, 'local');
    assert.equal(config.worker, 'inline');
    assert.equal(config.secureCookies, false);
    assert.ok(Object.isFrozen(config));
  });

  test('PUBLIC_URL follows PORT and https turns on secure cookies', () => {
    assert.equal(loadConfig({ ...base(), PORT: '8080' }).publicUrl.href, 'http://localhost:8080/');
    assert.equal(
      loadConfig({ ...base(), PUBLIC_URL: 'https://makenot.example' }).secureCookies,
      true,
    );
  });

  test('a bad value names the variable in one line', () => {
    const error = configError({ PORT: 'abc' });
    assert.equal(error.variable, 'PORT');
    assert.match(error.message, /^PORT: must be a number/);
    assert.doesNotMatch(error.message, /\n/);
    assert.equal(configError({ PORT: '70000' }).variable, 'PORT');
    assert.equal(configError({ PUBLIC_URL: 'localhost' }).variable, 'PUBLIC_URL');
    assert.equal(configError({ DATABASE_URL: 'mysql://x' }).variable, 'DATABASE_URL');
    assert.equal(configError({ WORKER: 'sometimes' }).variable, 'WORKER');
    assert.equal(configError({ PAYMENTS: 'paypal' }).variable, 'PAYMENTS');
    assert.equal(configError({ SMTP_URL: 'http://mail' }).variable, 'SMTP_URL');
    assert.equal(configError({ APP_SECRET: 'short' }).variable, 'APP_SECRET');
  });

  test('S3 is all or nothing, Stripe needs its keys', () => {
    assert.equal(configError({ S3_BUCKET: 'media' }).variable, 'S3_ACCESS_KEY_ID');
    assert.equal(configError({ S3_ENDPOINT: 'http://127.0.0.1:9000' }).variable, 'S3_BUCKET');
    const s3 = loadConfig({
      ...base(),
      S3_ENDPOINT: 'http://127.0.0.1:9000',
      S3_BUCKET: 'media',
      S3_ACCESS_KEY_ID: 'key',
      S3_SECRET_ACCESS_KEY: 'secret',
    }).s3;
    assert.deepEqual(s3, {
      endpoint: 'http://127.0.0.1:9000',
      bucket: 'media',
      region: 'us-east-1',
      accessKeyId: 'key',
      secretAccessKey: 'secret',
      forcePathStyle: true,
    });
    assert.equal(configError({ PAYMENTS: 'stripe' }).variable, 'STRIPE_SECRET_KEY');
  });

  test('DATABASE_READ_URL: a replica of DATABASE_URL, with a lag bound', () => {
    const primary = 'postgres://app@db1:5432/makenot';
    const replica = 'postgres://app@db2:5432/makenot';
    const config = loadConfig({ ...base(), DATABASE_URL: primary, DATABASE_READ_URL: replica });
    assert.equal(config.databaseReadUrl, replica);
    assert.equal(config.databaseReadMaxLagMs, 2000);
    assert.equal(loadConfig(base()).databaseReadUrl, undefined);
    assert.equal(
      loadConfig({
        ...base(),
        DATABASE_URL: primary,
        DATABASE_READ_URL: replica,
        DATABASE_READ_MAX_LAG_MS: '500',
      }).databaseReadMaxLagMs,
      500,
    );
    const noPrimary = configError({ DATABASE_READ_URL: replica });
    assert.equal(noPrimary.variable, 'DATABASE_READ_URL');
    assert.match(noPrimary.message, /needs DATABASE_URL/);
    assert.match(
      configError({ DATABASE_URL: primary, DATABASE_READ_URL: primary }).message,
      /^DATABASE_READ_URL: is DATABASE_URL itself/,
    );
    assert.equal(
      configError({ DATABASE_URL: primary, DATABASE_READ_URL: 'http://db2' }).variable,
      'DATABASE_READ_URL',
    );
    assert.equal(
      configError({ DATABASE_READ_MAX_LAG_MS: 'soon' }).variable,
      'DATABASE_READ_MAX_LAG_MS',
    );
    assert.equal(
      configError({ DATABASE_READ_MAX_LAG_MS: '10' }).variable,
      'DATABASE_READ_MAX_LAG_MS',
    );
  });

  test('APP_SECRET is generated once into DATA_DIR and reused', async () => {
    const dir = path.join(dataDir, 'secret-test');
    const first = loadConfig({ DATA_DIR: dir }).appSecret;
    const second = loadConfig({ DATA_DIR: dir }).appSecret;
    assert.equal(first, second);
    assert.ok(first.length >= 32);
    assert.equal((await readFile(path.join(dir, 'app-secret'), 'utf8')).trim(), first);
    assert.equal((await stat(path.join(dir, 'app-secret'))).mode & 0o777, 0o600);
    assert.equal(
      loadConfig({ DATA_DIR: dir, APP_SECRET: 'x'.repeat(40) }).appSecret,
      'x'.repeat(40),
    );
  });
});
