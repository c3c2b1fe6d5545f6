-- Search at a million items: one GIN index that finds a query's matches within a time window
-- and under the item filters at once, so a search reads only the rows it ranks.
--
-- The index has three columns: the month an item was published (btree_gin), its filters as
-- tokens ("type:audio", "price:free", "tag:music", "tag:music/ambient"), and the search vector.
-- GIN intersects the three, so "the matches of 'ambient' published in the last 30 days, in
-- music/ambient, that are free" is one index scan that reads only those rows. See
-- docs/performance.md ("Search") for why the newest matches come first.

create extension if not exists btree_gin;

-- Months since 1970 (30-day months: only their order matters). extract(epoch) does not depend
-- on the time zone, so this is immutable, as an index expression must be.
create or replace function search_month(t timestamptz) returns integer
  language sql immutable parallel safe strict
  as $$ select floor(extract(epoch from t) / 2592000)::integer $$;

-- A tag filter matches the tag's whole subtree: every ancestor path is a token.
create or replace function item_search_filters(type text, price_model text, tags text[])
  returns text[]
  language sql immutable parallel safe
  as $$
    select array['type:' || coalesce(type, ''),
                 'price:' || case when price_model = 'free' then 'free' else 'paid' end]
      || coalesce((
           select array_agg(distinct 'tag:' || array_to_string(parts[1:k], '/'))
             from unnest(coalesce(tags, '{}'::text[])) path,
                  lateral string_to_array(path, '/') parts,
                  lateral generate_series(1, cardinality(parts)) k
         ), '{}'::text[])
  $$;

alter table items add column search_filters text[] not null default '{}';

create or replace function refresh_item_search(ids uuid[]) returns void
  language sql
  as $$
    update items i
       set search_vector = item_search_vector(
             i.title, i.description, i.body,
             (select string_agg(t.tag_path, ' ') from item_tags t where t.item_id = i.id),
             u.display_name || ' ' || u.handle,
             p.title),
           search_filters = item_search_filters(
             i.type, i.price_model,
             (select array_agg(t.tag_path) from item_tags t where t.item_id = i.id))
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
    new.search_filters := item_search_filters(
      new.type, new.price_model,
      (select array_agg(t.tag_path) from item_tags t where t.item_id = new.id));
    return new;
  end
  $$;
drop trigger items_search_before on items;
create trigger items_search_before
  before insert or update of title, description, body, project_id, creator_id, type, price_model
  on items
  for each row execute function items_search_before();

-- Backfill, with the old index gone first so the update does not maintain it.
drop index items_search_idx;
update items i
   set search_filters = item_search_filters(
     i.type, i.price_model, (select array_agg(t.tag_path) from item_tags t where t.item_id = i.id));

create index items_search_idx on items
  using gin (search_month(published_at), search_filters, search_vector)
  where status = 'published';

-- Projects and creators are fewer: their newest matches come from a walk down the newest rows
-- when a word is common (the planner's choice), which needs these.
create index projects_created_idx on projects (created_at desc);
create index users_creators_created_idx on users (created_at desc) where is_creator;

-- New title words reach "did you mean" when a title or status changes, not on every update of an
-- item (a sale bumps sales_count: it should not rescan titles). Row-level, with a WHEN clause,
-- because a statement trigger with a transition table cannot name columns.
drop trigger items_search_words_update on items;
create or replace function items_search_words_row() returns trigger
  language plpgsql
  as $$
  begin
    perform search_add_words(new.title);
    return null;
  end
  $$;
create trigger items_search_words_update after update of title, status on items
  for each row
  when (new.status = 'published'
        and (old.title is distinct from new.title or old.status is distinct from new.status))
  execute function items_search_words_row();
