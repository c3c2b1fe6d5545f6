// Who we are to authenticators: the RP ID is PUBLIC_URL's host name and the expected origin its
// origin, so passkeys work on exactly the address people use, and nowhere else.
import type { Config } from '../../config.js';

export interface RelyingParty {
  id: string;
  origin: string;
  name: string;
}

export const RP_NAME = 'Makenot.work';
/** how long a ceremony may take, and how long its challenge lives */
export const CHALLENGE_TTL_MS = 5 * 60 * 1000;

export function relyingPartyOf(config: Pick<Config, 'publicUrl'>): RelyingParty {
  return { id: config.publicUrl.hostname, origin: config.publicUrl.origin, name: RP_NAME };
}
