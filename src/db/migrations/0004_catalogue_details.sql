-- Catalogue details: stored images (avatars, covers, markdown images), creator profiles,
-- item versions, audio chapters and bundle contents.

-- One row per uploaded image; its renditions live in object storage under images/<id>/.
-- An image whose owner is gone (owner_id null) or that nothing uses any more is removed by the
-- hourly cleanup, objects first, then the row.
create table images (
  id uuid primary key,
  owner_id uuid references users (id) on delete set null,
  purpose text not null check (purpose in ('avatar', 'cover', 'inline')),
  width integer not null check (width > 0),
  height integer not null check (height > 0),
  sha256 text not null,
  -- [{name, key, width, height, bytes}], ascending by width
  variants jsonb not null check (jsonb_typeof(variants) = 'array'),
  created_at timestamptz not null default now()
);
create index images_owner_idx on images (owner_id, created_at desc);

alter table users
  add column bio text not null default '' check (length(bio) <= 10000),
  add column avatar_image_id uuid references images (id) on delete set null,
  -- [{label, url}], at most 10; urls are http(s), checked by the application
  add column links jsonb not null default '[]'
    check (jsonb_typeof(links) = 'array' and jsonb_array_length(links) <= 10),
  add column tips_enabled boolean not null default false;

alter table projects drop column cover_key;
alter table projects
  add column cover_image_id uuid references images (id) on delete set null;

alter table items drop column cover_key;
alter table items
  add column cover_image_id uuid references images (id) on delete set null;

-- Versions of software, downloads, audio and video, newest first by released_at. The media
-- issue attaches files to a version.
create table item_versions (
  id uuid primary key default gen_random_uuid(),
  item_id uuid not null references items (id) on delete cascade,
  version text not null check (length(version) between 1 and 50),
  changelog text not null default '' check (length(changelog) <= 20000),
  released_at timestamptz not null default now(),
  created_at timestamptz not null default now()
);
create unique index item_versions_item_version_key on item_versions (item_id, lower(version));
create index item_versions_item_released_idx on item_versions (item_id, released_at desc);

-- Chapters of an audio item, by start time.
create table item_chapters (
  item_id uuid not null references items (id) on delete cascade,
  start_seconds integer not null check (start_seconds between 0 and 172800),
  title text not null check (length(title) between 1 and 200),
  primary key (item_id, start_seconds)
);

-- The items a bundle sells together; the application keeps them to the bundle's creator and
-- refuses bundles inside bundles.
create table bundle_items (
  bundle_id uuid not null references items (id) on delete cascade,
  item_id uuid not null references items (id) on delete cascade,
  position integer not null,
  primary key (bundle_id, item_id),
  check (bundle_id <> item_id)
);
create index bundle_items_item_idx on bundle_items (item_id);
