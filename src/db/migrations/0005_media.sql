-- Media: uploaded files of an item and the renditions the processing worker makes of them.
-- Objects live under files/<id>/ (original, renditions); upload_key is the temporary object the
-- bytes arrived at (tmp/uploads/<id>), removed once processing is over.

create table files (
  id uuid primary key default gen_random_uuid(),
  item_id uuid not null references items (id) on delete cascade,
  version_id uuid references item_versions (id) on delete set null,
  creator_id uuid not null references users (id) on delete cascade,
  status text not null default 'pending'
    check (status in ('pending', 'processing', 'ready', 'failed', 'quarantined')),
  -- null until the worker has sniffed the bytes
  kind text check (kind in ('audio', 'video', 'image', 'archive', 'other')),
  original_name text not null check (length(original_name) between 1 and 255),
  -- what the client said the type was; never trusted, only compared with the sniffed type
  declared_type text check (length(declared_type) <= 255),
  mime text,
  size bigint check (size >= 0),
  sha256 text check (sha256 ~ '^[0-9a-f]{64}$'),
  upload_key text,
  original_key text,
  duration_ms integer check (duration_ms >= 0),
  -- the creator's choice of where the preview clip starts; null = a third into the track
  preview_start_ms integer check (preview_start_ms >= 0),
  metadata jsonb not null default '{}' check (jsonb_typeof(metadata) = 'object'),
  -- a sentence the creator can read: why the file failed or was quarantined
  error text,
  -- a sentence the creator can read about a degraded result (e.g. original only)
  notice text,
  attempts integer not null default 0,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  processed_at timestamptz,
  check (status not in ('failed', 'quarantined') or error is not null)
);
create index files_item_idx on files (item_id, created_at);
create index files_status_idx on files (status, updated_at);
create index files_creator_idx on files (creator_id);
create index files_version_idx on files (version_id) where version_id is not null;

create table file_renditions (
  file_id uuid not null references files (id) on delete cascade,
  name text not null check (name ~ '^[a-z0-9_-]{1,40}$'),
  key text not null,
  mime text not null,
  size bigint not null check (size >= 0),
  metadata jsonb not null default '{}' check (jsonb_typeof(metadata) = 'object'),
  primary key (file_id, name)
);
