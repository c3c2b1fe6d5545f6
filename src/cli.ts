// `npm run cli -- <command>`: operator commands. `npm run migrate` is `cli migrate`.
import { runProcess } from './platform/lifecycle.js';
import { startRuntime } from './platform/runtime.js';

const USAGE = `usage: npm run cli -- <command>

commands:
  migrate     apply pending database migrations and exit`;

const [command] = process.argv.slice(2);

if (command === 'migrate') {
  await runProcess('migrate', async (config, log) => {
    const runtime = await startRuntime(config, log, { migrate: true, runJobs: false });
    await runtime.close();
    log.info('migrations are up to date');
    return () => Promise.resolve();
  });
} else {
  const asked = command === undefined || command === 'help' || command === '--help';
  process.stderr.write(`${asked ? '' : `unknown command: ${command}\n`}${USAGE}\n`);
  process.exitCode = asked ? 0 : 2;
}
