// `npm run worker`: the job worker on its own (run the server with WORKER=off beside it).
import { runProcess } from './platform/lifecycle.js';
import { startRuntime } from './platform/runtime.js';
import { appTasks } from './tasks.js';

await runProcess('worker', async (config, log) => {
  const runtime = await startRuntime(config, log, {
    migrate: true,
    runJobs: true,
    tasks: appTasks,
  });
  return () => runtime.close();
});
