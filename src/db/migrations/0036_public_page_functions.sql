-- The public pages' statements as PL/pgSQL functions (issue 17), so each database session
-- plans them once and keeps the plan: unnamed statements are planned on every call, and these
-- took longer to plan (2.2 ms for the item page under load) than to run. The catalogue's
-- repositories (item-page.repository.ts, creator-pages.repository.ts) call them; the texts are
-- theirs, kept here. "use_column": a name that is both a column and an output is the column.

create function public_item_page(p_handle text, p_project text, p_item text)
  returns table (creator jsonb, avatar jsonb, project jsonb, item jsonb, cover jsonb,
                 tags text[], versions jsonb, chapters jsonb, has_files boolean)
  language plpgsql stable as $fn$
#variable_conflict use_column
begin
  return query
  select jsonb_build_object('id', c.id, 'handle', c.handle, 'display_name', c.display_name,
           'bio', c.bio, 'bio_html', c.bio_html, 'bio_text', c.bio_text, 'links', c.links,
           'tips_enabled', c.tips_enabled, 'currency', c.currency, 'is_creator', c.is_creator,
           'status', c.status) as creator,
         (select to_jsonb(a) from (select id, owner_id, purpose, width, height, variants from images where id = c.avatar_image_id) a) as avatar,
         to_jsonb(p) - 'search_vector' as project,
         i.item, i.cover, i.tags, i.versions, i.chapters, i.has_files
    from users c
    left join lateral (
      select pp.*, c.handle, c.currency as creator_currency, c.status as creator_status,
             false as redirected
        from projects pp
       where pp.creator_id = c.id and lower(pp.slug) = lower(p_project)
      union all
      select pp.*, c.handle, c.currency, c.status, true
        from project_slug_redirects r
        join projects pp on pp.id = r.project_id
       where r.creator_id = c.id and pp.creator_id = c.id and lower(r.slug) = lower(p_project)
       order by redirected
       limit 1
    ) p on true
    left join lateral (
      select (to_jsonb(ii) - 'search_vector' - 'search_filters') || jsonb_build_object(
               'handle', c.handle, 'creator_currency', c.currency, 'creator_status', c.status,
               'creator_left_at', c.left_at, 'project_slug', p.slug,
               'display_name', c.display_name,
               'published_key',
               to_char(ii.published_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')) as item,
             (select to_jsonb(x) from (select id, owner_id, purpose, width, height, variants from images where id = ii.cover_image_id) x) as cover,
             array(select tag_path from item_tags where item_id = ii.id order by tag_path) as tags,
             case when ii.type in ('software', 'digital', 'audio', 'video') then
               (select coalesce(jsonb_agg(v order by v.released_at desc, v.created_at desc), '[]')
                  from (select version, changelog, changelog_html, released_at, created_at
                          from item_versions where item_id = ii.id) v)
             end as versions,
             case when ii.type = 'audio' then
               (select coalesce(jsonb_agg(ch order by ch.start_seconds), '[]')
                  from (select start_seconds, title from item_chapters where item_id = ii.id) ch)
             end as chapters,
             exists (select 1 from files where item_id = ii.id) as has_files
        from items ii
       where ii.project_id = p.id and lower(ii.slug) = lower(p_item)
    ) i on true
   where lower(c.handle) = p_handle and c.is_creator;
end $fn$;

create function public_creator_page(p_handle text, p_projects int, p_latest int)
  returns table (creator jsonb, avatar jsonb, projects jsonb, latest jsonb)
  language plpgsql stable as $fn$
#variable_conflict use_column
begin
  return query
  select jsonb_build_object('id', c.id, 'handle', c.handle, 'display_name', c.display_name,
    'bio', c.bio, 'bio_html', c.bio_html, 'bio_text', c.bio_text, 'links', c.links,
    'tips_enabled', c.tips_enabled, 'currency', c.currency, 'is_creator', c.is_creator,
    'status', c.status) as creator,
    (select to_jsonb(a) from (select id, owner_id, purpose, width, height, variants from images where id = c.avatar_image_id) a) as avatar,
         (select coalesce(jsonb_agg(p order by p.position, p.id), '[]')
            from (select pp.id, pp.slug, pp.title, pp.position, c.handle,
                         (select to_jsonb(x) from (select id, owner_id, purpose, width, height, variants from images where id = pp.cover_image_id) x) as cover
                    from projects pp
                   where pp.creator_id = c.id
                   order by pp.position, pp.id
                   limit p_projects) p) as projects,
         (select coalesce(jsonb_agg(to_jsonb(l) - 'published_at'
                                    order by l.published_at desc, l.id desc), '[]')
            from (select i.id, i.slug, i.title, i.type, i.price_model, i.price_amount, i.price_minimum,
    i.price_suggested, i.currency, i.position, i.cover_image_id, c.handle, c.display_name,
    pr.slug as project_slug, i.published_at,
    to_char(i.published_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') as published_key,
    (select to_jsonb(x) from (select id, owner_id, purpose, width, height, variants from images where id = i.cover_image_id) x) as cover
                    from items i
                    join projects pr on pr.id = i.project_id
                   where i.creator_id = c.id and i.status = 'published'
                   order by i.published_at desc, i.id desc
                   limit p_latest) l) as latest
    from users c
   where lower(c.handle) = p_handle and c.is_creator and c.status = 'active';
end $fn$;

create function public_project_page(p_handle text, p_project text, p_limit int,
                                    p_after_position int, p_after_id uuid)
  returns table (creator jsonb, avatar jsonb, project jsonb, cover jsonb, items jsonb)
  language plpgsql stable as $fn$
#variable_conflict use_column
begin
  return query
  select jsonb_build_object('id', c.id, 'handle', c.handle, 'display_name', c.display_name,
    'bio', c.bio, 'bio_html', c.bio_html, 'bio_text', c.bio_text, 'links', c.links,
    'tips_enabled', c.tips_enabled, 'currency', c.currency, 'is_creator', c.is_creator,
    'status', c.status) as creator,
    (select to_jsonb(a) from (select id, owner_id, purpose, width, height, variants from images where id = c.avatar_image_id) a) as avatar,
         to_jsonb(p) - 'search_vector' as project,
         (select to_jsonb(x) from (select id, owner_id, purpose, width, height, variants from images where id = p.cover_image_id) x) as cover,
         (select coalesce(jsonb_agg(to_jsonb(l) - 'published_at' order by l.position, l.id), '[]')
            from (select i.id, i.slug, i.title, i.type, i.price_model, i.price_amount, i.price_minimum,
    i.price_suggested, i.currency, i.position, i.cover_image_id, c.handle, c.display_name,
    pr.slug as project_slug, i.published_at,
    to_char(i.published_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') as published_key,
    (select to_jsonb(x) from (select id, owner_id, purpose, width, height, variants from images where id = i.cover_image_id) x) as cover
                    from items i
                    join projects pr on pr.id = i.project_id
                   where i.project_id = p.id and i.status = 'published'
                     and (p_after_position is null or (i.position, i.id) > (p_after_position, p_after_id))
                   order by i.position, i.id
                   limit p_limit) l) as items
    from users c
    left join lateral (
      select pp.*, c.handle, c.currency as creator_currency, c.status as creator_status,
             false as redirected
        from projects pp
       where pp.creator_id = c.id and lower(pp.slug) = lower(p_project)
      union all
      select pp.*, c.handle, c.currency, c.status, true
        from project_slug_redirects r
        join projects pp on pp.id = r.project_id
       where r.creator_id = c.id and pp.creator_id = c.id and lower(r.slug) = lower(p_project)
       order by redirected
       limit 1
    ) p on true
   where lower(c.handle) = p_handle and c.is_creator and c.status = 'active';
end $fn$;
