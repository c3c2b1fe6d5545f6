-- Licence keys for software items: one key per paid item order, stored as sha256 (for lookups)
-- plus AES-256-GCM ciphertext (so the buyer can be shown it again) and a short visible suffix.
-- The activation limit is a per-item creator setting; activations are per installed instance.
create table licence_settings (
  item_id uuid primary key references items (id) on delete cascade,
  activation_limit int not null default 3 check (activation_limit between 1 and 1000),
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);

create table licence_keys (
  id uuid primary key default gen_random_uuid(),
  -- one key per order: a re-delivered payment event or a second hook run issues nothing more
  order_id uuid not null unique references orders (id) on delete cascade,
  item_id uuid not null references items (id) on delete cascade,
  key_hash bytea not null unique check (length(key_hash) = 32),
  -- the last group of the key, for display beside the item without decrypting anything
  key_suffix text not null check (key_suffix ~ '^[0-9A-Z]{5}$'),
  -- iv (12) || tag (16) || ciphertext, under a key derived from APP_SECRET; AAD is the order id
  key_sealed bytea not null check (length(key_sealed) > 28),
  created_at timestamptz not null default now()
);
create index licence_keys_item_idx on licence_keys (item_id, created_at desc);

create table licence_activations (
  id uuid primary key default gen_random_uuid(),
  key_id uuid not null references licence_keys (id) on delete cascade,
  instance_id text not null check (length(instance_id) between 1 and 200),
  label text check (label is null or length(label) <= 100),
  created_at timestamptz not null default now(),
  last_seen_at timestamptz not null default now(),
  unique (key_id, instance_id)
);
