-- Search: weighted tsvector columns kept by PostgreSQL itself on items, projects and creators,
-- a vocabulary for "did you mean", and a per-item count of paid orders for ranking.
-- English for prose, simple (and English) for names, unaccent everywhere.

create or replace function search_unaccent(text) returns text
  language sql immutable parallel safe strict
  as $$ select public.unaccent('public.unaccent'::regdictionary, $1) $$;

-- Names: simple keeps "james" whole (prefixes match it), English lets stemmed queries match.
create or replace function search_names(text) returns tsvector
  language sql immutable parallel safe
  as $$
    select to_tsvector('simple', search_unaccent(coalesce($1, '')))
      || to_tsvector('english', search_unaccent(coalesce($1, '')))
  $$;

-- Tag paths "music/electronic/ambient-drone" as words.
create or replace function search_tag_words(text) returns text
  language sql immutable parallel safe
  as $$ select translate(coalesce($1, ''), '/-', '  ') $$;

create or replace function item_search_vector(
  title text, description text, body text, tags text, names text, project_title text
) returns tsvector
  language sql immutable parallel safe
  as $$
    select setweight(to_tsvector('english', search_unaccent(coalesce(title, ''))), 'A')
      || setweight(to_tsvector('english', search_unaccent(search_tag_words(tags))), 'B')
      || setweight(search_names(names), 'B')
      || setweight(to_tsvector('english', search_unaccent(coalesce(project_title, ''))), 'B')
      || setweight(to_tsvector('english', search_unaccent(coalesce(description, ''))), 'C')
      || setweight(to_tsvector('english', search_unaccent(coalesce(body, ''))), 'D')
  $$;

create or replace function project_search_vector(title text, names text, description text)
  returns tsvector
  language sql immutable parallel safe
  as $$
    select setweight(to_tsvector('english', search_unaccent(coalesce(title, ''))), 'A')
      || setweight(search_names(names), 'B')
      || setweight(to_tsvector('english', search_unaccent(coalesce(description, ''))), 'C')
  $$;

create or replace function creator_search_vector(display_name text, handle text, bio text)
  returns tsvector
  language sql immutable parallel safe
  as $$
    select setweight(search_names(coalesce(display_name, '') || ' ' || coalesce(handle, '')), 'A')
      || setweight(to_tsvector('english', search_unaccent(coalesce(bio, ''))), 'C')
  $$;

-- The query: websearch syntax for everything typed, and, for as-you-type, the last word as an
-- English word or as a prefix. `last` holds letters and digits only (the application splits it
-- off); its lexemes are quoted, never pasted into tsquery syntax.
create or replace function search_prefix_query(last text) returns tsquery
  language sql immutable parallel safe
  as $$
    select coalesce(
      (select to_tsquery('simple', string_agg(quote_literal(l) || ':*', ' & '))
         from unnest(tsvector_to_array(to_tsvector('simple', search_unaccent(last)))) l),
      ''::tsquery)
  $$;

create or replace function search_query(head text, last text) returns tsquery
  language sql immutable parallel safe
  as $$
    select websearch_to_tsquery('english', search_unaccent(coalesce(head, '')))
      && case when last is null or last = '' then ''::tsquery
              else websearch_to_tsquery('english', search_unaccent(last))
                   || search_prefix_query(last) end
  $$;

alter table items add column search_vector tsvector;
alter table items add column sales_count integer not null default 0;
alter table projects add column search_vector tsvector;
alter table users add column search_vector tsvector;

-- Words of published titles and tags, for spelling suggestions.
create table search_words (
  word text primary key check (length(word) between 3 and 40)
);
create index search_words_trgm_idx on search_words using gin (word gin_trgm_ops);

create or replace function search_add_words(source text) returns void
  language sql
  as $$
    insert into search_words (word)
    select distinct w
      from regexp_split_to_table(lower(search_unaccent(coalesce(source, ''))), '[^[:alnum:]]+') w
     where length(w) between 3 and 40
    on conflict do nothing
  $$;

-- Recomputes the vectors of many items at once (tags, project titles or names changed).
create or replace function refresh_item_search(ids uuid[]) returns void
  language sql
  as $$
    update items i
       set search_vector = item_search_vector(
         i.title, i.description, i.body,
         (select string_agg(t.tag_path, ' ') from item_tags t where t.item_id = i.id),
         u.display_name || ' ' || u.handle,
         p.title)
      from projects p, users u
     where i.id = any(ids) and p.id = i.project_id and u.id = i.creator_id
  $$;

create or replace function items_search_before() returns trigger
  language plpgsql
  as $$
  begin
    new.search_vector := item_search_vector(
      new.title, new.description, new.body,
      (select string_agg(t.tag_path, ' ') from item_tags t where t.item_id = new.id),
      (select u.display_name || ' ' || u.handle from users u where u.id = new.creator_id),
      (select p.title from projects p where p.id = new.project_id));
    return new;
  end
  $$;
create trigger items_search_before
  before insert or update of title, description, body, project_id, creator_id on items
  for each row execute function items_search_before();

create or replace function items_search_words() returns trigger
  language plpgsql
  as $$
  begin
    perform search_add_words(string_agg(n.title, ' ')) from new_items n
     where n.status = 'published';
    return null;
  end
  $$;
create trigger items_search_words_insert after insert on items
  referencing new table as new_items
  for each statement execute function items_search_words();
create trigger items_search_words_update after update on items
  referencing new table as new_items
  for each statement execute function items_search_words();

create or replace function item_tags_search() returns trigger
  language plpgsql
  as $$
  begin
    if tg_op = 'INSERT' then
      perform refresh_item_search(array_agg(distinct item_id)) from new_tags;
      perform search_add_words(string_agg(distinct search_tag_words(tag_path), ' ')) from new_tags;
    else
      perform refresh_item_search(array_agg(distinct item_id)) from old_tags;
    end if;
    return null;
  end
  $$;
create trigger item_tags_search_insert after insert on item_tags
  referencing new table as new_tags
  for each statement execute function item_tags_search();
create trigger item_tags_search_delete after delete on item_tags
  referencing old table as old_tags
  for each statement execute function item_tags_search();

create or replace function projects_search_before() returns trigger
  language plpgsql
  as $$
  begin
    new.search_vector := project_search_vector(
      new.title,
      (select u.display_name || ' ' || u.handle from users u where u.id = new.creator_id),
      new.description);
    return new;
  end
  $$;
create trigger projects_search_before
  before insert or update of title, description, creator_id on projects
  for each row execute function projects_search_before();

-- A renamed project renames the B part of its items' vectors.
create or replace function projects_search_after() returns trigger
  language plpgsql
  as $$
  begin
    perform refresh_item_search(array_agg(i.id))
       from new_projects n
       join old_projects o on o.id = n.id
       join items i on i.project_id = n.id
      where n.title is distinct from o.title;
    return null;
  end
  $$;
create trigger projects_search_after after update on projects
  referencing new table as new_projects old table as old_projects
  for each statement execute function projects_search_after();

create or replace function users_search_before() returns trigger
  language plpgsql
  as $$
  begin
    new.search_vector := creator_search_vector(new.display_name, new.handle, new.bio);
    return new;
  end
  $$;
create trigger users_search_before
  before insert or update of display_name, handle, bio on users
  for each row execute function users_search_before();

-- A creator's new name reaches their projects and items.
create or replace function users_search_after() returns trigger
  language plpgsql
  as $$
  declare
    changed uuid[];
  begin
    select array_agg(n.id) into changed
      from new_users n join old_users o on o.id = n.id
     where n.display_name is distinct from o.display_name or n.handle is distinct from o.handle;
    if changed is null then
      return null;
    end if;
    update projects p
       set search_vector = project_search_vector(p.title, u.display_name || ' ' || u.handle,
                                                 p.description)
      from users u
     where p.creator_id = any(changed) and u.id = p.creator_id;
    perform refresh_item_search(array_agg(i.id)) from items i where i.creator_id = any(changed);
    return null;
  end
  $$;
create trigger users_search_after after update on users
  referencing new table as new_users old table as old_users
  for each statement execute function users_search_after();

-- Sales: paid item orders, counted on the item.
create or replace function orders_sales_count() returns trigger
  language plpgsql
  as $$
  begin
    if tg_op in ('UPDATE', 'DELETE') and old.kind = 'item' and old.status = 'paid' then
      update items set sales_count = sales_count - 1 where id = old.item_id;
    end if;
    if tg_op in ('INSERT', 'UPDATE') and new.kind = 'item' and new.status = 'paid' then
      update items set sales_count = sales_count + 1 where id = new.item_id;
    end if;
    return null;
  end
  $$;
create trigger orders_sales_count after insert or update of status, kind, item_id or delete
  on orders for each row execute function orders_sales_count();

-- Backfill.
update users set search_vector = creator_search_vector(display_name, handle, bio);
update projects p
   set search_vector = project_search_vector(p.title, u.display_name || ' ' || u.handle,
                                             p.description)
  from users u where u.id = p.creator_id;
select refresh_item_search(array_agg(id)) from items;
update items i set sales_count = s.n
  from (select item_id, count(*)::int as n from orders
         where kind = 'item' and status = 'paid' group by item_id) s
 where s.item_id = i.id;
select search_add_words(string_agg(title, ' ')) from items where status = 'published';
select search_add_words(string_agg(distinct search_tag_words(tag_path), ' ')) from item_tags;

create index items_search_idx on items using gin (search_vector);
create index projects_search_idx on projects using gin (search_vector);
create index users_search_idx on users using gin (search_vector);
create index items_title_trgm_idx on items using gin (lower(title) gin_trgm_ops);
create index projects_title_trgm_idx on projects using gin (lower(title) gin_trgm_ops);
create index users_handle_trgm_idx on users using gin (lower(handle) gin_trgm_ops);
-- Most sold first, for discovery.
create index items_sales_idx on items (sales_count desc, published_at desc)
  where status = 'published';
