// The passkey and two-factor sections of the security settings page (owned by the two-factor
// work; the settings page only places them).
import type { AccountsDeps } from './accounts.service.js';
import { listPasskeys } from './passkeys.service.js';
import { totpStatus } from './totp.service.js';
import { PasskeysCard } from './views/two-factor-passkeys.js';
import { TotpCard } from './views/two-factor-totp.js';

export async function loadTwoFactorSections(
  deps: AccountsDeps,
  userId: string,
  csrfToken: string,
): Promise<JSX.Element[]> {
  const [passkeys, status] = await Promise.all([
    listPasskeys(deps, userId),
    totpStatus(deps, userId),
  ]);
  return [
    <PasskeysCard passkeys={passkeys} csrfToken={csrfToken} now={new Date()} />,
    <TotpCard status={status} csrfToken={csrfToken} />,
  ];
}
