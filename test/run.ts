// `npm test`: starts the test database server (global-setup.ts), runs node's test runner in a
// child process with its address, then tears everything down and exits with the runner's code.
// (node --test-global-setup loads its module without tsx, so the wrapper does this instead.)
import { spawn } from 'node:child_process';
import { globalSetup, globalTeardown } from './global-setup.js';
import { ensureSystemTools } from './system-tools.js';

const DEFAULT_PATTERNS = ['src/**/*.test.ts', 'src/**/*.test.tsx', 'test/**/*.test.ts'];

const args = process.argv.slice(2);
const files = args.filter((a) => !a.startsWith('--'));
const flags = args.filter((a) => a.startsWith('--'));

ensureSystemTools();
await globalSetup();
let code: number;
try {
  code = await new Promise<number>((resolve, reject) => {
    const child = spawn(
      process.execPath,
      [
        '--import',
        'tsx',
        '--test',
        '--test-concurrency=2',
        '--test-timeout=180000',
        ...flags,
        ...(files.length > 0 ? files : DEFAULT_PATTERNS),
      ],
      { stdio: 'inherit', env: process.env },
    );
    for (const signal of ['SIGINT', 'SIGTERM'] as const) {
      process.on(signal, () => child.kill(signal));
    }
    child.on('error', reject);
    child.on('exit', (exitCode, signal) => resolve(exitCode ?? (signal ? 1 : 0)));
  });
} finally {
  await globalTeardown();
}
process.exit(code);
