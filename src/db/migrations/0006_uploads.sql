-- Resumable uploads (tus 1.0). The bytes live in object storage as numbered parts under
-- tmp/uploads/<id>/; this table is the source of truth for how many of them count, so any app
-- instance can take the next PATCH. Leases in upload_locks keep two requests from writing one
-- upload at once, across instances.
create table uploads (
  id text primary key check (id ~ '^[0-9a-f]{32}$'),
  creator_id uuid not null references users (id) on delete cascade,
  item_id uuid not null references items (id) on delete cascade,
  filename text not null check (length(filename) between 1 and 255),
  declared_type text check (length(declared_type) <= 255),
  size bigint not null check (size >= 0),
  "offset" bigint not null default 0 check ("offset" between 0 and size),
  -- full parts stored as part-000000, part-000001, …
  part_count integer not null default 0 check (part_count >= 0),
  -- bytes after the last full part, in the object `tail` (its first tail_size bytes count)
  tail_size integer not null default 0 check (tail_size >= 0),
  -- the file made of it once complete
  file_id uuid,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  expires_at timestamptz not null default now() + interval '24 hours'
);
create index uploads_creator_idx on uploads (creator_id) where file_id is null;
create index uploads_expires_idx on uploads (expires_at) where file_id is null;

create table upload_locks (
  upload_id text primary key,
  holder text not null,
  expires_at timestamptz not null,
  release_requested boolean not null default false
);
