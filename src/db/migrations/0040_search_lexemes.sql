-- Prefix searches without prefix scans: every lexeme of the search vectors of items, projects
-- and creators, so that "rive" can be expanded to the lexemes that start with it ("river",
-- "riverbank") before the search runs. A tsquery prefix ('rive':*) makes the GIN index gather
-- every row of every matching lexeme into one bitmap before anything else narrows it (hundreds
-- of thousands of rows for the prefix of a common word, per candidate window); the same words
-- as exact keys are intersected with the month and filter keys like any word, and their shares
-- are in PostgreSQL's statistics. See docs/performance.md, "Issue 17: search at a million items".
--
-- Lexemes are only ever added: one that no longer occurs expands a prefix to a word that finds
-- nothing, which costs one index probe.

create table search_lexemes (
  lexeme text collate "C" primary key
);

create or replace function search_add_lexemes(v tsvector) returns void
  language sql
  as $$
    insert into search_lexemes (lexeme)
    select l from unnest(tsvector_to_array(v)) l
    on conflict do nothing
  $$;

create or replace function search_lexemes_row() returns trigger
  language plpgsql
  as $$
  begin
    perform search_add_lexemes(new.search_vector);
    return null;
  end
  $$;

-- Row triggers with a WHEN clause: an update that leaves the vector as it was (a sale counted,
-- a status changed) does not call the function at all.
create trigger items_search_lexemes_insert after insert on items
  for each row when (new.search_vector is not null) execute function search_lexemes_row();
create trigger items_search_lexemes_update after update on items
  for each row when (new.search_vector is distinct from old.search_vector)
  execute function search_lexemes_row();
create trigger projects_search_lexemes_insert after insert on projects
  for each row when (new.search_vector is not null) execute function search_lexemes_row();
create trigger projects_search_lexemes_update after update on projects
  for each row when (new.search_vector is distinct from old.search_vector)
  execute function search_lexemes_row();
create trigger users_search_lexemes_insert after insert on users
  for each row when (new.search_vector is not null) execute function search_lexemes_row();
create trigger users_search_lexemes_update after update on users
  for each row when (new.search_vector is distinct from old.search_vector)
  execute function search_lexemes_row();

-- All lexemes of a table's vectors at once (the backfill, and bulk loads that bypass triggers).
create or replace function search_refresh_lexemes() returns void
  language sql
  as $$
    insert into search_lexemes (lexeme)
    select distinct l from (
      select unnest(tsvector_to_array(search_vector)) l from items
      union all select unnest(tsvector_to_array(search_vector)) from projects
      union all select unnest(tsvector_to_array(search_vector)) from users
    ) x
    on conflict do nothing
  $$;

select search_refresh_lexemes();

-- The query with the last word as typed or as any of the lexemes it begins (search_query of
-- migration 0018 with the prefix already expanded). The lexemes are quoted as tsquery
-- operands, never parsed: they are stored lexemes, not text to normalise.
create or replace function search_query_expanded(head text, last text, lexemes text[])
  returns tsquery
  language sql immutable parallel safe
  as $$
    select websearch_to_tsquery('english', search_unaccent(coalesce(head, '')))
      && case when last is null or last = '' then ''::tsquery
              else websearch_to_tsquery('english', search_unaccent(last))
                   || coalesce((select string_agg(
                                  '''' || replace(replace(l, '\', '\\'), '''', '''''') || '''',
                                  ' | ')::tsquery
                                  from unnest(lexemes) l), ''::tsquery) end
  $$;
