// The passkey and two-factor sections of the security settings page (owned by the two-factor
// work; the settings page only places them).
import type { AccountsDeps } from './accounts.service.js';

export async function loadTwoFactorSections(
  _deps: AccountsDeps,
  _userId: string,
  _csrfToken: string,
): Promise<JSX.Element[]> {
  return [];
}
