-- Catalogue: projects (with slug redirects), items, shared hierarchical tags.
-- Money is bigint minor units in the creator's currency.

alter table users add column currency char(3) not null default 'USD'
  check (currency ~ '^[A-Z]{3}$');

create table projects (
  id uuid primary key default gen_random_uuid(),
  creator_id uuid not null references users (id) on delete cascade,
  slug text not null check (slug ~ '^[a-z0-9]+(-[a-z0-9]+)*$' and length(slug) <= 80),
  title text not null check (length(title) between 1 and 200),
  description text not null default '' check (length(description) <= 20000),
  cover_key text,
  position integer not null default 0,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);
create unique index projects_creator_slug_key on projects (creator_id, lower(slug));
create index projects_creator_position_idx on projects (creator_id, position, created_at);

-- Old slugs keep resolving after a rename; a slug in use by a project is never a redirect.
create table project_slug_redirects (
  creator_id uuid not null references users (id) on delete cascade,
  slug text not null,
  project_id uuid not null references projects (id) on delete cascade,
  created_at timestamptz not null default now()
);
create unique index project_slug_redirects_key on project_slug_redirects (creator_id, lower(slug));
create index project_slug_redirects_project_idx on project_slug_redirects (project_id);

create table items (
  id uuid primary key default gen_random_uuid(),
  project_id uuid not null references projects (id) on delete cascade,
  creator_id uuid not null references users (id) on delete cascade,
  type text not null
    check (type in ('audio', 'video', 'text', 'image', 'digital', 'software', 'course', 'bundle')),
  title text not null check (length(title) between 1 and 200),
  slug text not null check (slug ~ '^[a-z0-9]+(-[a-z0-9]+)*$' and length(slug) <= 80),
  description text not null default '' check (length(description) <= 20000),
  body text not null default '' check (length(body) <= 200000),
  status text not null default 'draft' check (status in ('draft', 'published', 'unlisted')),
  price_model text not null check (price_model in ('free', 'fixed', 'pwyw', 'members')),
  price_amount bigint,
  price_minimum bigint,
  price_suggested bigint,
  currency char(3) not null default 'USD',
  ai_tier text check (ai_tier in ('handmade', 'assisted', 'generated')),
  ai_statement text check (length(ai_statement) <= 2000),
  release_date date,
  credits text not null default '' check (length(credits) <= 5000),
  cover_key text,
  position integer not null default 0,
  published_at timestamptz,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  check (
    (price_model in ('free', 'members')
      and price_amount is null and price_minimum is null and price_suggested is null)
    or (price_model = 'fixed' and price_amount between 1 and 100000000
      and price_minimum is null and price_suggested is null)
    or (price_model = 'pwyw' and price_amount is null
      and price_minimum between 0 and 100000000
      and (price_suggested is null or price_suggested between price_minimum and 100000000))
  ),
  check (status = 'draft' or published_at is not null)
);
create unique index items_project_slug_key on items (project_id, lower(slug));
create index items_project_position_idx on items (project_id, position, created_at, id);
create index items_creator_idx on items (creator_id, created_at desc);
create index items_published_idx on items (published_at desc) where status = 'published';

-- Tags are shared by every creator; each ancestor path exists as its own row.
create table tags (
  path text primary key check (path ~ '^[a-z0-9-]{1,40}(/[a-z0-9-]{1,40}){0,4}$'),
  created_at timestamptz not null default now()
);

create table item_tags (
  item_id uuid not null references items (id) on delete cascade,
  tag_path text not null references tags (path),
  primary key (item_id, tag_path)
);
-- Subtree lookups: tag_path = 'music' or tag_path like 'music/%'.
create index item_tags_path_idx on item_tags (tag_path text_pattern_ops);
