// `npm run cli -- <command>`: operator commands. `npm run migrate` is `cli migrate`.
import { endSessions, setAdmin, UnknownAccountError } from './modules/accounts/admin.service.js';
import { runProcess } from './platform/lifecycle.js';
import { startRuntime } from './platform/runtime.js';

const USAGE = `usage: npm run cli -- <command>

commands:
  migrate                   apply pending database migrations and exit
  admin grant <email>       make the account an admin (its sessions end)
  admin revoke <email>      take the admin role away (its sessions end)
  sessions end <email>      sign the account out everywhere
  sessions end --all        sign every account out everywhere`;

const [command, ...rest] = process.argv.slice(2);

async function admin(action: string | undefined, email: string | undefined): Promise<void> {
  if ((action !== 'grant' && action !== 'revoke') || !email) {
    process.stderr.write(`${USAGE}\n`);
    process.exitCode = 2;
    return;
  }
  await runProcess('cli', async (config, log) => {
    const runtime = await startRuntime(config, log, { migrate: true, runJobs: false });
    try {
      const { handle } = await setAdmin(runtime.db, email, action === 'grant');
      process.stdout.write(`@${handle} is ${action === 'grant' ? 'now' : 'no longer'} an admin\n`);
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

async function sessions(action: string | undefined, target: string | undefined): Promise<void> {
  if (action !== 'end' || !target) {
    process.stderr.write(`${USAGE}\n`);
    process.exitCode = 2;
    return;
  }
  await runProcess('cli', async (config, log) => {
    const runtime = await startRuntime(config, log, { migrate: true, runJobs: false });
    try {
      const ended = await endSessions(
        runtime.db,
        target === '--all' ? 'everyone' : { email: target },
      );
      process.stdout.write(`ended ${ended} session${ended === 1 ? '' : 's'}\n`);
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

if (command === 'migrate') {
  await runProcess('migrate', async (config, log) => {
    const runtime = await startRuntime(config, log, { migrate: true, runJobs: false });
    await runtime.close();
    log.info('migrations are up to date');
    return () => Promise.resolve();
  });
} else if (command === 'admin') {
  await admin(rest[0], rest[1]);
} else if (command === 'sessions') {
  await sessions(rest[0], rest[1]);
} else {
  const asked = command === undefined || command === 'help' || command === '--help';
  process.stderr.write(`${asked ? '' : `unknown command: ${command}\n`}${USAGE}\n`);
  process.exitCode = asked ? 0 : 2;
}
