// Process lifecycle shared by the entry points: configuration errors as one line, SIGTERM and
// SIGINT drain and exit 0, a hard deadline so a stuck dependency cannot hold the exit forever.
import { ConfigError, loadConfig, type Config } from '../config.js';
import { EmbeddedPostgresError } from '../db/embedded-postgres.js';
import { MigrationError } from '../db/migrate.js';
import { createLogger, type Logger } from './log.js';

export type Stop = () => Promise<void>;

const SHUTDOWN_DEADLINE_MS = 9_000;

function oneLine(error: unknown): string {
  if (error instanceof ConfigError) return error.message;
  if (error instanceof EmbeddedPostgresError || error instanceof MigrationError) {
    return `database: ${error.message}`;
  }
  return `could not start: ${error instanceof Error ? error.message : String(error)}`;
}

function fail(name: string, error: unknown, log?: Logger): never {
  log?.debug({ err: error }, 'start failed');
  process.stderr.write(`makenot ${name}: ${oneLine(error).split('\n')[0] ?? ''}\n`);
  process.exit(1);
}

export async function runProcess(
  name: string,
  start: (config: Readonly<Config>, log: Logger) => Promise<Stop>,
): Promise<void> {
  let config: Readonly<Config>;
  try {
    config = loadConfig();
  } catch (error) {
    fail(name, error);
  }
  const log = createLogger(config, name);
  const started = start(config, log);
  let stopping = false;
  const shutdown = (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info({ signal }, 'shutting down');
    setTimeout(() => {
      log.error('shutdown took too long; exiting');
      process.exit(1);
    }, SHUTDOWN_DEADLINE_MS).unref();
    // A signal during start waits for the start to finish, so nothing is left half running.
    started
      .then((stop) => stop())
      .then(() => {
        log.info('stopped');
        process.exit(0);
      })
      .catch((error: unknown) => {
        log.error({ err: error }, 'error while shutting down');
        process.exit(1);
      });
  };
  process.once('SIGTERM', () => shutdown('SIGTERM'));
  process.once('SIGINT', () => shutdown('SIGINT'));
  try {
    await started;
  } catch (error) {
    fail(name, error, log);
  }
}
