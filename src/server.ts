// `npm start`: migrations, then the HTTP server (and the job worker unless WORKER=off).
import { buildApp } from './app.js';
import { ConfigError } from './config.js';
import { runProcess } from './platform/lifecycle.js';
import { startRuntime } from './platform/runtime.js';
import { appTasks } from './tasks.js';

await runProcess('server', async (config, log) => {
  const runtime = await startRuntime(config, log, {
    migrate: true,
    runJobs: config.worker === 'inline',
    tasks: appTasks,
    readReplica: true,
  });
  const app = await buildApp(runtime);
  try {
    await app.listen({ port: config.port, host: config.host });
  } catch (error) {
    await runtime.close();
    if ((error as NodeJS.ErrnoException).code === 'EADDRINUSE') {
      throw new ConfigError('PORT', `${config.host}:${config.port} is already in use`);
    }
    throw error;
  }
  log.info({ url: config.publicUrl.href, worker: config.worker }, 'Makenot.work is running');
  return async () => {
    await app.close(); // stops accepting, lets requests in flight finish
    await runtime.close(); // then the worker releases its jobs and the database stops
  };
});
