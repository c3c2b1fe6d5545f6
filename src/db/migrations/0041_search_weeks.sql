-- Search at a million items, continued (migration 0019 made the windows): candidate windows
-- keyed by week instead of by 30-day month, and bounded GIN pending lists.
--
-- A window is read as one GIN scan that intersects its time keys with the words; with months as
-- keys, the newest window (7 days) read every match of the month or two it touches and dropped
-- four in five of them on the date (a frequent word: 1,948 rows read for 404 kept). Weeks cut
-- that to the window plus at most a week. See docs/performance.md, "Issue 17: search at a
-- million items".

-- Weeks since 1970 (7-day weeks from a Thursday: only their order matters); immutable, as
-- search_month is.
create or replace function search_week(t timestamptz) returns integer
  language sql immutable parallel safe strict
  as $$ select floor(extract(epoch from t) / 604800)::integer $$;

drop index items_search_idx;
set local maintenance_work_mem = '256MB';
create index items_search_idx on items
  using gin (search_week(published_at), search_filters, search_vector)
  where status = 'published';

-- Every search reads a GIN index's whole pending list (rows inserted since the last cleanup,
-- not yet in the index's tree), once per scan: up to 4 MB by default, and a search runs up to
-- five window scans. 256 kB keeps that to 32 pages; an insert that overflows it moves the list
-- into the tree. Lists left by earlier inserts are moved now.
alter index items_search_idx set (gin_pending_list_limit = 256);
alter index projects_search_idx set (gin_pending_list_limit = 256);
alter index users_search_idx set (gin_pending_list_limit = 256);
select gin_clean_pending_list('projects_search_idx'::regclass);
select gin_clean_pending_list('users_search_idx'::regclass);
