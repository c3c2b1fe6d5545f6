// `npm run cli -- <command>`: operator commands. `npm run migrate` is `cli migrate`.
import type { Db } from './db/database.js';
import { endSessions, setAdmin, UnknownAccountError } from './modules/accounts/admin.service.js';
import { runProcess } from './platform/lifecycle.js';
import { startRuntime } from './platform/runtime.js';

const USAGE = `usage: npm run cli -- <command>

commands:
  migrate                   apply pending database migrations and exit
  admin grant <email>       make the account an admin (its sessions end)
  admin revoke <email>      take the admin role away (its sessions end)
  sessions end <email>      sign the account out everywhere (sessions and access tokens)
  sessions end --all        sign every account out everywhere (sessions and access tokens)`;

function usage(): void {
  process.stderr.write(`${USAGE}\n`);
  process.exitCode = 2;
}

/** Runs one operator action against the database (migrated first); prints what it returns. */
async function operate(action: (db: Db) => Promise<string>): Promise<void> {
  await runProcess('cli', async (config, log) => {
    const runtime = await startRuntime(config, log, { migrate: true, runJobs: false });
    try {
      process.stdout.write(`${await action(runtime.db)}\n`);
    } catch (error) {
      if (!(error instanceof UnknownAccountError)) throw error;
      process.stderr.write(`makenot cli: ${error.message}\n`);
      process.exitCode = 1;
    } finally {
      await runtime.close();
    }
    return () => Promise.resolve();
  });
}

const [command, action, target] = process.argv.slice(2);

if (command === 'migrate') {
  await runProcess('migrate', async (config, log) => {
    const runtime = await startRuntime(config, log, { migrate: true, runJobs: false });
    await runtime.close();
    log.info('migrations are up to date');
    return () => Promise.resolve();
  });
} else if (command === 'admin') {
  if ((action !== 'grant' && action !== 'revoke') || !target) usage();
  else {
    await operate(async (db) => {
      const { handle } = await setAdmin(db, target, action === 'grant');
      return `@${handle} is ${action === 'grant' ? 'now' : 'no longer'} an admin`;
    });
  }
} else if (command === 'sessions') {
  if (action !== 'end' || !target) usage();
  else {
    await operate(async (db) => {
      const ended = await endSessions(db, target === '--all' ? 'everyone' : { email: target });
      const sessions = `ended ${ended.sessions} session${ended.sessions === 1 ? '' : 's'}`;
      const tokens = `revoked ${ended.tokens} access token${ended.tokens === 1 ? '' : 's'}`;
      return ended.tokens > 0 ? `${sessions} and ${tokens}` : sessions;
    });
  }
} else {
  const asked = command === undefined || command === 'help' || command === '--help';
  process.stderr.write(`${asked ? '' : `unknown command: ${command}\n`}${USAGE}\n`);
  process.exitCode = asked ? 0 : 2;
}
