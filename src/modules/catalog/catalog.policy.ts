// Who may do what with projects and items, in one place. Objects a caller may not see or
// change answer 404, so nobody learns that someone else's draft exists. Who may see or read an
// item is not here: the one access rule decides it (src/modules/access), for every path.
import { AppError, notFound } from '../../platform/errors.js';
import type { Principal } from '../../platform/http/auth.js';
import type { ItemStatus, UserStatus } from '../../db/schema.js';

export type CatalogAction = 'project.create' | 'project.view' | 'project.edit' | 'item.edit';

export interface OwnedObject {
  creator_id: string;
  /** a deactivated, suspended or deleted creator's work is hidden from everyone else */
  creator_status: UserStatus;
  /** items only */
  status?: ItemStatus;
  kind: 'project' | 'item';
}

export function can(
  principal: Principal | undefined,
  action: CatalogAction,
  object?: OwnedObject,
): boolean {
  const isOwner = principal !== undefined && object?.creator_id === principal.user.id;
  switch (action) {
    case 'project.create':
      return principal?.user.isCreator === true;
    case 'project.view':
      return isOwner || object?.creator_status === 'active';
    case 'project.edit':
    case 'item.edit':
      return isOwner;
  }
}

/** Throws 403 NOT_A_CREATOR for creating without being a creator, 404 for anything else. */
export function authorize(
  principal: Principal | undefined,
  action: CatalogAction,
  object?: OwnedObject,
): void {
  if (can(principal, action, object)) return;
  if (action === 'project.create') {
    throw new AppError('NOT_A_CREATOR', 403, 'Turn on creating first, at /join/create.');
  }
  throw notFound(object?.kind ?? 'page');
}
