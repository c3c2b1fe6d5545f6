// The only module that reads process.env. Everything else receives a frozen Config.
// A bad value stops the start with one line naming the variable (see ConfigError).
import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';

export class ConfigError extends Error {
  constructor(
    readonly variable: string,
    problem: string,
  ) {
    super(`${variable}: ${problem}`);
    this.name = 'ConfigError';
  }
}

export interface S3Config {
  endpoint: string | undefined;
  bucket: string;
  region: string;
  accessKeyId: string;
  secretAccessKey: string;
  forcePathStyle: boolean;
}

export interface Config {
  port: number;
  host: string;
  publicUrl: URL;
  /** true when PUBLIC_URL is https: Secure and __Host- cookies */
  secureCookies: boolean;
  dataDir: string;
  /** undefined: start embedded PostgreSQL in DATA_DIR */
  databaseUrl: string | undefined;
  /**
   * DATABASE_READ_URL: a streaming replica of DATABASE_URL for anonymous public reads
   * (db/read-replica.ts); undefined: every query goes to the primary
   */
  databaseReadUrl: string | undefined;
  /** DATABASE_READ_MAX_LAG_MS: a replica further behind than this is not read from */
  databaseReadMaxLagMs: number;
  s3: S3Config | undefined;
  smtpUrl: string | undefined;
  mailFrom: string;
  payments: 'local' | 'stripe';
  stripe: { secretKey: string; webhookSecret: string; apiBase: string | undefined } | undefined;
  appSecret: string;
  worker: 'inline' | 'off';
  /** the media tools the worker runs (a system dependency; see README) */
  ffmpegPath: string;
  ffprobePath: string;
  env: 'production' | 'development' | 'test';
  logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
  /** PAGE_CACHE: anonymous public pages cached ≤ 1 s per process (page-cache.ts); off in tests */
  pageCache: boolean;
}

type Env = Record<string, string | undefined>;

const port = z.coerce
  .number({ error: 'must be a number' })
  .int('must be a whole number')
  .min(0, 'must be between 0 and 65535')
  .max(65535, 'must be between 0 and 65535');

const urlWith = (protocols: RegExp, message: string) =>
  z.string().refine((v) => URL.canParse(v) && protocols.test(new URL(v).protocol), message);

const httpUrl = urlWith(/^https?:$/, 'must be an absolute http:// or https:// URL');
const postgresUrl = urlWith(
  /^postgres(ql)?:$/,
  'must be a URL such as postgres://user@host:5432/database',
);
const smtpUrl = urlWith(/^smtps?:$/, 'must be a URL such as smtp://user:pass@host:587');

const nonEmpty = z.string().trim().min(1, 'must not be empty');
const bool = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'], { error: 'must be true or false' })
  .transform((v) => v === 'true' || v === '1' || v === 'yes');

function read<T>(env: Env, name: string, schema: z.ZodType<T>, fallback?: string): T {
  const raw = env[name] === '' ? undefined : env[name];
  const result = schema.safeParse(raw ?? fallback);
  if (!result.success) {
    const issue = result.error.issues[0];
    const problem =
      raw === undefined && fallback === undefined
        ? 'is required'
        : `${issue?.message ?? 'is invalid'} (got ${JSON.stringify(raw)})`;
    throw new ConfigError(name, problem);
  }
  return result.data;
}

function optional<T>(env: Env, name: string, schema: z.ZodType<T>): T | undefined {
  return env[name] === undefined || env[name] === '' ? undefined : read(env, name, schema);
}

function readS3(env: Env): S3Config | undefined {
  const bucket = optional(env, 'S3_BUCKET', nonEmpty);
  const endpoint = optional(env, 'S3_ENDPOINT', httpUrl);
  if (bucket === undefined) {
    if (endpoint !== undefined)
      throw new ConfigError('S3_BUCKET', 'is required when S3_ENDPOINT is set');
    return undefined;
  }
  return {
    endpoint,
    bucket,
    region: read(env, 'S3_REGION', nonEmpty, 'us-east-1'),
    accessKeyId: read(env, 'S3_ACCESS_KEY_ID', nonEmpty),
    secretAccessKey: read(env, 'S3_SECRET_ACCESS_KEY', nonEmpty),
    forcePathStyle: read(env, 'S3_FORCE_PATH_STYLE', bool, endpoint ? 'true' : 'false'),
  };
}

function readReplicaUrl(env: Env, databaseUrl: string | undefined): string | undefined {
  const url = optional(env, 'DATABASE_READ_URL', postgresUrl);
  if (url === undefined) return undefined;
  // The embedded server listens on a port of its own choosing and has no replica to point at.
  if (databaseUrl === undefined) {
    throw new ConfigError('DATABASE_READ_URL', 'needs DATABASE_URL: a replica replicates a server');
  }
  if (url === databaseUrl) {
    throw new ConfigError('DATABASE_READ_URL', 'is DATABASE_URL itself: leave it unset instead');
  }
  return url;
}

const lagMs = z.coerce
  .number({ error: 'must be a number of milliseconds' })
  .int('must be a whole number of milliseconds')
  .min(100, 'must be between 100 and 3600000 milliseconds')
  .max(3_600_000, 'must be between 100 and 3600000 milliseconds');

function readStripe(env: Env, payments: Config['payments']): Config['stripe'] {
  if (payments !== 'stripe') return undefined;
  return {
    secretKey: read(env, 'STRIPE_SECRET_KEY', nonEmpty),
    webhookSecret: read(env, 'STRIPE_WEBHOOK_SECRET', nonEmpty),
    apiBase: optional(env, 'STRIPE_API_BASE', httpUrl),
  };
}

/** APP_SECRET from the environment, or generated once into DATA_DIR and reused after. */
function readAppSecret(env: Env, dataDir: string): string {
  const given = optional(env, 'APP_SECRET', z.string().min(32, 'must be at least 32 characters'));
  if (given !== undefined) return given;
  const file = path.join(dataDir, 'app-secret');
  try {
    return readFileSync(file, 'utf8').trim();
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') {
      throw new ConfigError('APP_SECRET', `cannot read ${file}: ${(error as Error).message}`);
    }
  }
  const secret = randomBytes(32).toString('base64url');
  try {
    mkdirSync(dataDir, { recursive: true });
    // 'wx' keeps a secret written by a concurrent first start instead of overwriting it.
    writeFileSync(file, secret + '\n', { mode: 0o600, flag: 'wx' });
    return secret;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST')
      return readFileSync(file, 'utf8').trim();
    throw new ConfigError('DATA_DIR', `cannot write ${file}: ${(error as Error).message}`);
  }
}

export function loadConfig(env: Env = process.env): Readonly<Config> {
  const listenPort = read(env, 'PORT', port, '3000');
  const host = read(env, 'HOST', nonEmpty, '127.0.0.1');
  const publicUrl = new URL(read(env, 'PUBLIC_URL', httpUrl, `http://localhost:${listenPort}`));
  const dataDir = path.resolve(read(env, 'DATA_DIR', nonEmpty, './data'));
  const payments = read(
    env,
    'PAYMENTS',
    z.enum(['local', 'stripe'], { error: 'must be local or stripe' }),
    'local',
  );
  const nodeEnv = read(
    env,
    'NODE_ENV',
    z.enum(['production', 'development', 'test'], {
      error: 'must be production, development or test',
    }),
    'development',
  );
  const databaseUrl = optional(env, 'DATABASE_URL', postgresUrl);
  const config: Config = {
    port: listenPort,
    host,
    publicUrl,
    secureCookies: publicUrl.protocol === 'https:',
    dataDir,
    databaseUrl,
    databaseReadUrl: readReplicaUrl(env, databaseUrl),
    databaseReadMaxLagMs: read(env, 'DATABASE_READ_MAX_LAG_MS', lagMs, '2000'),
    s3: readS3(env),
    smtpUrl: optional(env, 'SMTP_URL', smtpUrl),
    mailFrom: read(env, 'MAIL_FROM', nonEmpty, `Makenot.work <no-reply@${publicUrl.hostname}>`),
    payments,
    stripe: readStripe(env, payments),
    appSecret: readAppSecret(env, dataDir),
    worker: read(
      env,
      'WORKER',
      z.enum(['inline', 'off'], { error: 'must be inline or off' }),
      'inline',
    ),
    ffmpegPath: read(env, 'FFMPEG_PATH', nonEmpty, 'ffmpeg'),
    ffprobePath: read(env, 'FFPROBE_PATH', nonEmpty, 'ffprobe'),
    env: nodeEnv,
    logLevel: read(
      env,
      'LOG_LEVEL',
      z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'], {
        error: 'must be one of fatal, error, warn, info, debug, trace, silent',
      }),
      nodeEnv === 'test' ? 'silent' : 'info',
    ),
    pageCache:
      read(
        env,
        'PAGE_CACHE',
        z.enum(['on', 'off'], { error: 'must be on or off' }),
        nodeEnv === 'test' ? 'off' : 'on',
      ) === 'on',
  };
  return Object.freeze(config);
}
