// The one shape of a feature module, as the registry (src/modules.ts) builds it and the web
// server, the worker and the CLI read it: routes under /api/v1 and at the root, their OpenAPI
// descriptions, jobs with their schedules, steps of the hourly cleanup, operator commands.
// A module leaves out what it does not have.
import type { FastifyInstance } from 'fastify';
import type { Db } from '../db/database.js';
import type { ApiOperation } from './http/openapi.js';
import type { TaskDefinition } from './jobs/task.js';
import type { CleanupStep } from './maintenance/cleanup.jobs.js';

export interface AppModule {
  name: string;
  /** JSON routes, registered under /api/v1 */
  api?: (app: FastifyInstance) => Promise<void>;
  /** routes at the root: pages, webhooks, media redirects */
  routes?: (app: FastifyInstance) => Promise<void>;
  /** OpenAPI descriptions of the module's /api/v1 routes */
  operations?: readonly ApiOperation[];
  /** the worker's tasks (each a typed job's handler) */
  tasks?: readonly TaskDefinition[];
  /** graphile-worker crontab lines */
  crontab?: readonly string[];
  /** steps of the hourly cleanup job */
  cleanupSteps?: readonly CleanupStep[];
}

/** An operator command of `npm run cli -- <name> …`, run against the migrated database. */
export interface CliCommand {
  name: string;
  /** usage lines, as `admin grant <email>   what it does` */
  usage: readonly string[];
  /** whether the arguments fit; checked before the database starts (else: the usage, exit 2) */
  accepts(args: readonly string[]): boolean;
  /** the line to print; throw CliRefusal for a refusal the operator should read */
  run(db: Db, args: readonly string[]): Promise<string>;
}

/** A command's refusal (an unknown account, wrong arguments): printed, exit code 1. */
export class CliRefusal extends Error {}
