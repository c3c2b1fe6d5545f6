-- The one access rule (issue 14). Two facts it needs from the database:
-- 1. When a creator left (deactivated, suspended or deleted): their buyers and members keep what
--    they have for 90 days from then. A trigger keeps it, so every path that changes a status
--    (settings, deletion, the admin area to come) sets it the same way.
-- 2. Paid text never reaches the search index: only free items' bodies are searchable, so no
--    query can find a paying reader's words (titles, descriptions and tags still are).

alter table users add column left_at timestamptz;

create or replace function users_left_at() returns trigger
  language plpgsql
  as $$
  begin
    if new.status = 'active' then
      new.left_at := null;
    else
      -- from one kind of gone to another (deactivated, then deleted) the clock keeps running
      new.left_at := coalesce(old.left_at, now());
    end if;
    return new;
  end
  $$;

create trigger users_left_at
  before update of status on users
  for each row when (old.status is distinct from new.status)
  execute function users_left_at();

create or replace function item_searchable_body(body text, price_model text) returns text
  language sql immutable parallel safe
  as $$ select case when price_model = 'free' then body else '' end $$;

create or replace function refresh_item_search(ids uuid[]) returns void
  language sql
  as $$
    update items i
       set search_vector = item_search_vector(
             i.title, i.description, item_searchable_body(i.body, i.price_model::text),
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
      new.title, new.description, item_searchable_body(new.body, new.price_model::text),
      (select string_agg(t.tag_path, ' ') from item_tags t where t.item_id = new.id),
      (select u.display_name || ' ' || u.handle from users u where u.id = new.creator_id),
      (select p.title from projects p where p.id = new.project_id));
    new.search_filters := item_search_filters(
      new.type, new.price_model,
      (select array_agg(t.tag_path) from item_tags t where t.item_id = new.id));
    return new;
  end
  $$;
