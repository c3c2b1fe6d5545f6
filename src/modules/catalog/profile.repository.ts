// A creator's bio rendering (Kysely only): the accounts module writes the bio, the catalogue
// keeps its rendering beside it (migration 0035) in the same transaction.
import type { Executor } from '../../db/database.js';
import { renderedBio } from './rendered-text.js';

/** Stores the rendering of `bio`, if it is still the account's bio. */
export async function storeRenderedBio(db: Executor, userId: string, bio: string): Promise<void> {
  await db
    .updateTable('users')
    .set(renderedBio(bio))
    .where('id', '=', userId)
    .where('bio', '=', bio)
    .execute();
}
