// Expired account data, removed by the hourly cleanup job.
import { sql } from 'kysely';
import type { Db } from '../../db/database.js';
import { deleteExpiredWindows } from '../../platform/http/rate-limit.repository.js';
import type { CleanupStep } from '../../platform/maintenance/cleanup.jobs.js';
import { deleteExpiredSessions } from './sessions.repository.js';
import { SESSION_IDLE_MS } from './sessions.service.js';

export function accountsCleanupSteps(db: Db): CleanupStep[] {
  return [
    {
      name: 'sessions',
      run: (_cutoff, now) =>
        deleteExpiredSessions(db, new Date(now.getTime() - SESSION_IDLE_MS), now),
    },
    { name: 'rate_limits', run: (_cutoff, now) => deleteExpiredWindows(db, now) },
    {
      name: 'email_tokens',
      async run(cutoff) {
        const r = await db
          .deleteFrom('email_tokens')
          .where('expires_at', '<', cutoff)
          .executeTakeFirst();
        return Number(r.numDeletedRows);
      },
    },
    {
      name: 'auth_challenges',
      async run(_cutoff, now) {
        const a = await db
          .deleteFrom('webauthn_challenges')
          .where('expires_at', '<', now)
          .executeTakeFirst();
        const b = await db
          .deleteFrom('pending_logins')
          .where('expires_at', '<', now)
          .executeTakeFirst();
        return Number(a.numDeletedRows) + Number(b.numDeletedRows);
      },
    },
    {
      // Lifts locks whose time is up, so failed_logins does not carry over.
      name: 'expired_locks',
      async run(_cutoff, now) {
        const r = await db
          .updateTable('users')
          .set({ locked_until: null })
          .where('locked_until', '<', sql<Date>`${now}`)
          .executeTakeFirst();
        return Number(r.numUpdatedRows);
      },
    },
  ];
}
