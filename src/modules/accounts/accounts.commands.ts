// The operator's account commands of `npm run cli --`: admins granted and revoked, accounts
// signed out everywhere. An unknown account is a refusal the operator reads, not a crash.
import { CliRefusal, type CliCommand } from '../../platform/module.js';
import { endSessions, setAdmin, UnknownAccountError } from './admin.service.js';

async function refusing<T>(work: Promise<T>): Promise<T> {
  try {
    return await work;
  } catch (error) {
    if (error instanceof UnknownAccountError) throw new CliRefusal(error.message);
    throw error;
  }
}

export const accountsCommands: CliCommand[] = [
  {
    name: 'admin',
    usage: [
      'admin grant <email>       make the account an admin (its sessions end)',
      'admin revoke <email>      take the admin role away (its sessions end)',
    ],
    accepts: ([action, email]) => (action === 'grant' || action === 'revoke') && !!email,
    async run(db, [action, email = '']) {
      const { handle } = await refusing(setAdmin(db, email, action === 'grant'));
      return `@${handle} is ${action === 'grant' ? 'now' : 'no longer'} an admin`;
    },
  },
  {
    name: 'sessions',
    usage: [
      'sessions end <email>      sign the account out everywhere (sessions and access tokens)',
      'sessions end --all        sign every account out everywhere (sessions and access tokens)',
    ],
    accepts: ([action, target]) => action === 'end' && !!target,
    async run(db, [, target = '']) {
      const ended = await refusing(
        endSessions(db, target === '--all' ? 'everyone' : { email: target }),
      );
      const sessions = `ended ${ended.sessions} session${ended.sessions === 1 ? '' : 's'}`;
      const tokens = `revoked ${ended.tokens} access token${ended.tokens === 1 ? '' : 's'}`;
      return ended.tokens > 0 ? `${sessions} and ${tokens}` : sessions;
    },
  },
];
