// `npm run cli -- <command>`: operator commands. `npm run migrate` is `cli migrate`; the rest
// come from the modules (src/modules.ts), each run against the migrated database.
import { moduleCommands } from './modules.js';
import { runProcess } from './platform/lifecycle.js';
import { CliRefusal, type CliCommand } from './platform/module.js';
import { startRuntime } from './platform/runtime.js';

const USAGE = `usage: npm run cli -- <command>

commands:
${[
  'migrate                   apply pending database migrations and exit',
  ...moduleCommands.flatMap((command) => command.usage),
]
  .map((line) => `  ${line}`)
  .join('\n')}`;

function usage(): void {
  process.stderr.write(`${USAGE}\n`);
  process.exitCode = 2;
}

/** Runs one module command against the database (migrated first); prints what it returns. */
async function operate(command: CliCommand, args: readonly string[]): Promise<void> {
  await runProcess('cli', async (config, log) => {
    const runtime = await startRuntime(config, log, { migrate: true, runJobs: false });
    try {
      process.stdout.write(`${await command.run(runtime.db, args)}\n`);
    } catch (error) {
      if (error instanceof CliRefusal) {
        process.stderr.write(`makenot cli: ${error.message}\n`);
        process.exitCode = 1;
      } else throw error;
    } finally {
      await runtime.close();
    }
    return () => Promise.resolve();
  });
}

const [name, ...args] = process.argv.slice(2);
const command = moduleCommands.find((candidate) => candidate.name === name);

if (name === 'migrate') {
  await runProcess('migrate', async (config, log) => {
    const runtime = await startRuntime(config, log, { migrate: true, runJobs: false });
    await runtime.close();
    log.info('migrations are up to date');
    return () => Promise.resolve();
  });
} else if (command) {
  if (command.accepts(args)) await operate(command, args);
  else usage();
} else {
  const asked = name === undefined || name === 'help' || name === '--help';
  process.stderr.write(`${asked ? '' : `unknown command: ${name}\n`}${USAGE}\n`);
  process.exitCode = asked ? 0 : 2;
}
