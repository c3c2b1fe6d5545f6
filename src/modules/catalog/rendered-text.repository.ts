// Rows whose markdown has no stored rendering yet (written before migration 0035, or changed by
// a statement that did not store it), and storing it (Kysely only). A rendering is stored only
// if its source is still the one rendered, so a write in between is never overwritten.
import { sql } from 'kysely';
import type { Executor } from '../../db/database.js';
import {
  renderedBio,
  renderedChangelog,
  renderedItemText,
  renderedProjectText,
} from './rendered-text.js';

const BATCH = 500;

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

// Each batch is stored with one statement: the rows and the sources they were rendered from.

async function renderItems(db: Executor): Promise<number> {
  const rows = await db
    .selectFrom('items')
    .select(['id', 'description', 'body'])
    .where((eb) => eb.or([eb('description_html', 'is', null), eb('body_html', 'is', null)]))
    .limit(BATCH)
    .execute();
  if (rows.length === 0) return 0;
  const rendered = rows.map((row) => ({ ...row, ...renderedItemText(row) }));
  await sql`
    update items set description_html = r.description_html, description_text = r.description_text,
           body_html = r.body_html, body_preview = r.body_preview,
           body_preview_html = r.body_preview_html, body_continues = r.body_continues
      from jsonb_to_recordset(${JSON.stringify(rendered)}::jsonb) as r(
             id uuid, description text, body text, description_html text, description_text text,
             body_html text, body_preview text, body_preview_html text, body_continues boolean)
     where items.id = r.id and items.description = r.description and items.body = r.body`.execute(
    db,
  );
  return rows.length;
}

async function renderProjects(db: Executor): Promise<number> {
  const rows = await db
    .selectFrom('projects')
    .select(['id', 'description'])
    .where('description_html', 'is', null)
    .limit(BATCH)
    .execute();
  if (rows.length === 0) return 0;
  const rendered = rows.map((row) => ({ ...row, ...renderedProjectText(row) }));
  await sql`
    update projects set description_html = r.description_html, description_text = r.description_text
      from jsonb_to_recordset(${JSON.stringify(rendered)}::jsonb) as r(
             id uuid, description text, description_html text, description_text text)
     where projects.id = r.id and projects.description = r.description`.execute(db);
  return rows.length;
}

async function renderBios(db: Executor): Promise<number> {
  const rows = await db
    .selectFrom('users')
    .select(['id', 'bio'])
    .where('bio_html', 'is', null)
    .limit(BATCH)
    .execute();
  if (rows.length === 0) return 0;
  const rendered = rows.map((row) => ({ ...row, ...renderedBio(row.bio) }));
  await sql`
    update users set bio_html = r.bio_html, bio_text = r.bio_text
      from jsonb_to_recordset(${JSON.stringify(rendered)}::jsonb) as r(
             id uuid, bio text, bio_html text, bio_text text)
     where users.id = r.id and users.bio = r.bio`.execute(db);
  return rows.length;
}

async function renderChangelogs(db: Executor): Promise<number> {
  const rows = await db
    .selectFrom('item_versions')
    .select(['id', 'changelog'])
    .where('changelog_html', 'is', null)
    .limit(BATCH)
    .execute();
  if (rows.length === 0) return 0;
  const rendered = rows.map((row) => ({ ...row, ...renderedChangelog(row.changelog) }));
  await sql`
    update item_versions set changelog_html = r.changelog_html
      from jsonb_to_recordset(${JSON.stringify(rendered)}::jsonb) as r(
             id uuid, changelog text, changelog_html text)
     where item_versions.id = r.id and item_versions.changelog = r.changelog`.execute(db);
  return rows.length;
}
