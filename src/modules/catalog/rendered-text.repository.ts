// Rows whose markdown has no stored rendering yet (written before migration 0035, or changed by
// a statement that did not store it), and storing it (Kysely only). A rendering is stored only
// if its source is still the one rendered, so a write in between is never overwritten.
import type { Executor } from '../../db/database.js';
import {
  renderedBio,
  renderedChangelog,
  renderedItemText,
  renderedProjectText,
} from './rendered-text.js';

const BATCH = 200;

/** Renders and stores one batch of each kind; how many rows it rendered (0: none left). */
export async function renderMissingText(db: Executor): Promise<number> {
  const counts = await Promise.all([
    renderItems(db),
    renderProjects(db),
    renderBios(db),
    renderChangelogs(db),
  ]);
  return counts.reduce((sum, n) => sum + n, 0);
}

async function renderItems(db: Executor): Promise<number> {
  const rows = await db
    .selectFrom('items')
    .select(['id', 'description', 'body'])
    .where((eb) => eb.or([eb('description_html', 'is', null), eb('body_html', 'is', null)]))
    .limit(BATCH)
    .execute();
  for (const row of rows) {
    await db
      .updateTable('items')
      .set(renderedItemText(row))
      .where('id', '=', row.id)
      .where('description', '=', row.description)
      .where('body', '=', row.body)
      .execute();
  }
  return rows.length;
}

async function renderProjects(db: Executor): Promise<number> {
  const rows = await db
    .selectFrom('projects')
    .select(['id', 'description'])
    .where('description_html', 'is', null)
    .limit(BATCH)
    .execute();
  for (const row of rows) {
    await db
      .updateTable('projects')
      .set(renderedProjectText(row))
      .where('id', '=', row.id)
      .where('description', '=', row.description)
      .execute();
  }
  return rows.length;
}

async function renderBios(db: Executor): Promise<number> {
  const rows = await db
    .selectFrom('users')
    .select(['id', 'bio'])
    .where('bio_html', 'is', null)
    .limit(BATCH)
    .execute();
  for (const row of rows) {
    await db
      .updateTable('users')
      .set(renderedBio(row.bio))
      .where('id', '=', row.id)
      .where('bio', '=', row.bio)
      .execute();
  }
  return rows.length;
}

async function renderChangelogs(db: Executor): Promise<number> {
  const rows = await db
    .selectFrom('item_versions')
    .select(['id', 'changelog'])
    .where('changelog_html', 'is', null)
    .limit(BATCH)
    .execute();
  for (const row of rows) {
    await db
      .updateTable('item_versions')
      .set(renderedChangelog(row.changelog))
      .where('id', '=', row.id)
      .where('changelog', '=', row.changelog)
      .execute();
  }
  return rows.length;
}
