// The account columns every credential lookup (session or token) reads, and the AuthUser they
// become: one definition, so sessions and tokens can never disagree about who is calling.
import type { AuthUser } from '../../platform/http/auth.js';
import type { UserStatus } from '../../db/schema.js';

export const AUTH_USER_COLUMNS = [
  'users.id',
  'users.handle',
  'users.email',
  'users.display_name',
  'users.is_creator',
  'users.is_admin',
  'users.status',
  'users.email_verified_at',
] as const;

export interface AuthUserRow {
  id: string;
  handle: string;
  email: string;
  display_name: string;
  is_creator: boolean;
  is_admin: boolean;
  status: UserStatus;
  email_verified_at: Date | null;
}

export function toAuthUser(row: AuthUserRow): AuthUser {
  return {
    id: row.id,
    handle: row.handle,
    email: row.email,
    displayName: row.display_name,
    isCreator: row.is_creator,
    isAdmin: row.is_admin,
    emailVerified: row.email_verified_at !== null,
  };
}
