-- Markdown rendered and sanitised once, when it is written, instead of on every page view
-- (issue 17): each markdown column gets its safe HTML and its plain text beside it, and a
-- text item's body the split at the paywall divider (the free part as markdown and as HTML,
-- whether the text goes on beyond it). The catalogue's repositories store them with every write
-- (platform/markdown/stored.ts makes them, with the same sanitizer as before).
--
-- NULL means "not rendered": readers then render the markdown themselves, as before, and the
-- catalog:render_markdown job (every minute) fills the columns in. Rows written before this
-- migration start so, and so does any row whose markdown a statement changes without storing
-- its rendering: the triggers below clear a rendering that no longer matches its source, so a
-- stale one can never be shown.
alter table items
  add column description_html text,
  add column description_text text,
  add column body_html text,
  add column body_preview text,
  add column body_preview_html text,
  add column body_continues boolean;

alter table projects
  add column description_html text,
  add column description_text text;

alter table users
  add column bio_html text,
  add column bio_text text;

alter table item_versions
  add column changelog_html text;

-- The triggers also give an empty source its (empty) rendering on insert, so rows made
-- elsewhere (sign-up, SQL) need no job for it.
create function items_rendered_markdown() returns trigger language plpgsql as $$
begin
  if tg_op = 'UPDATE' then
    if new.description is distinct from old.description
       and new.description_html is not distinct from old.description_html then
      new.description_html := null;
      new.description_text := null;
    end if;
    if new.body is distinct from old.body and new.body_html is not distinct from old.body_html then
      new.body_html := null;
      new.body_preview := null;
      new.body_preview_html := null;
      new.body_continues := null;
    end if;
  end if;
  if new.description = '' and new.description_html is null then
    new.description_html := '';
    new.description_text := '';
  end if;
  if new.body = '' and new.body_html is null then
    new.body_html := '';
    new.body_preview := '';
    new.body_preview_html := '';
    new.body_continues := false;
  end if;
  return new;
end $$;

create trigger items_rendered_markdown before insert or update of description, body on items
  for each row execute function items_rendered_markdown();

create function projects_rendered_markdown() returns trigger language plpgsql as $$
begin
  if tg_op = 'UPDATE' and new.description is distinct from old.description
     and new.description_html is not distinct from old.description_html then
    new.description_html := null;
    new.description_text := null;
  end if;
  if new.description = '' and new.description_html is null then
    new.description_html := '';
    new.description_text := '';
  end if;
  return new;
end $$;

create trigger projects_rendered_markdown before insert or update of description on projects
  for each row execute function projects_rendered_markdown();

create function users_rendered_markdown() returns trigger language plpgsql as $$
begin
  if tg_op = 'UPDATE' and new.bio is distinct from old.bio
     and new.bio_html is not distinct from old.bio_html then
    new.bio_html := null;
    new.bio_text := null;
  end if;
  if new.bio = '' and new.bio_html is null then
    new.bio_html := '';
    new.bio_text := '';
  end if;
  return new;
end $$;

create trigger users_rendered_markdown before insert or update of bio on users
  for each row execute function users_rendered_markdown();

create function item_versions_rendered_markdown() returns trigger language plpgsql as $$
begin
  if tg_op = 'UPDATE' and new.changelog is distinct from old.changelog
     and new.changelog_html is not distinct from old.changelog_html then
    new.changelog_html := null;
  end if;
  if new.changelog = '' and new.changelog_html is null then
    new.changelog_html := '';
  end if;
  return new;
end $$;

create trigger item_versions_rendered_markdown
  before insert or update of changelog on item_versions
  for each row execute function item_versions_rendered_markdown();

-- What the job looks for: rows whose rendering is missing (small once the backfill is done).
create index items_unrendered_idx on items (id)
  where description_html is null or body_html is null;
create index projects_unrendered_idx on projects (id) where description_html is null;
create index users_unrendered_idx on users (id) where bio_html is null;
create index item_versions_unrendered_idx on item_versions (id) where changelog_html is null;
