-- Accounts: users, sessions, personal access tokens, single-use email links, devices,
-- rate-limit counters, the security log, passkeys and TOTP.

create table users (
  id uuid primary key default gen_random_uuid(),
  email text not null check (length(email) between 3 and 320),
  email_verified_at timestamptz,
  handle text not null check (handle ~ '^[A-Za-z0-9][A-Za-z0-9_-]{0,28}[A-Za-z0-9]$'),
  display_name text not null check (length(display_name) between 1 and 80),
  password_hash text,
  is_creator boolean not null default false,
  creator_tier text check (creator_tier in ('basic', 'small_files', 'big_files', 'everything')),
  is_admin boolean not null default false,
  status text not null default 'active'
    check (status in ('active', 'deactivated', 'suspended', 'deleted')),
  -- Failed sign-ins from devices this account has not used before; 5 lock the account
  -- for unknown devices until locked_until or an emailed unlock link.
  failed_logins integer not null default 0,
  locked_until timestamptz,
  totp_secret text,
  totp_enabled_at timestamptz,
  totp_last_step bigint,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  check ((is_creator and creator_tier is not null) or (not is_creator))
);
-- Emails and handles are unique without regard to case. Deleted accounts give theirs up.
create unique index users_email_key on users (lower(email)) where status <> 'deleted';
create unique index users_handle_key on users (lower(handle));

create table sessions (
  id uuid primary key default gen_random_uuid(),
  user_id uuid not null references users (id) on delete cascade,
  token_hash bytea not null unique,
  created_at timestamptz not null default now(),
  last_seen_at timestamptz not null default now(),
  expires_at timestamptz not null,
  reauthenticated_at timestamptz not null default now(),
  ip inet,
  user_agent text,
  method text not null check (method in ('password', 'passkey', 'email_link', 'signup'))
);
create index sessions_user_idx on sessions (user_id);

create table api_tokens (
  id uuid primary key default gen_random_uuid(),
  user_id uuid not null references users (id) on delete cascade,
  name text not null check (length(name) between 1 and 80),
  token_hash bytea not null unique,
  scopes text[] not null check (scopes <@ array['read', 'write'] and cardinality(scopes) > 0),
  created_at timestamptz not null default now(),
  last_used_at timestamptz,
  revoked_at timestamptz
);
create index api_tokens_user_idx on api_tokens (user_id);

-- Single-use links sent by mail; only the hash of the token is kept.
create table email_tokens (
  id uuid primary key default gen_random_uuid(),
  user_id uuid not null references users (id) on delete cascade,
  purpose text not null
    check (purpose in ('verify_email', 'reset_password', 'unlock_account', 'change_email')),
  token_hash bytea not null unique,
  email text not null,
  expires_at timestamptz not null,
  used_at timestamptz,
  created_at timestamptz not null default now()
);
create index email_tokens_user_idx on email_tokens (user_id, purpose);

-- Browsers that signed in to an account before (a signed device cookie names them).
create table known_devices (
  user_id uuid not null references users (id) on delete cascade,
  device_id text not null,
  first_seen_at timestamptz not null default now(),
  last_seen_at timestamptz not null default now(),
  primary key (user_id, device_id)
);

-- Fixed-window counters shared by every app instance.
create table rate_limits (
  key text not null,
  window_start timestamptz not null,
  count integer not null default 1,
  expires_at timestamptz not null,
  primary key (key, window_start)
);
create index rate_limits_expires_idx on rate_limits (expires_at);

create table security_events (
  id bigint generated always as identity primary key,
  user_id uuid not null references users (id) on delete cascade,
  type text not null,
  ip inet,
  user_agent text,
  details jsonb not null default '{}',
  created_at timestamptz not null default now()
);
create index security_events_user_idx on security_events (user_id, created_at desc);

create table passkeys (
  id uuid primary key default gen_random_uuid(),
  user_id uuid not null references users (id) on delete cascade,
  credential_id text not null unique,
  public_key bytea not null,
  counter bigint not null default 0,
  transports text[] not null default '{}',
  device_type text,
  backed_up boolean not null default false,
  name text not null check (length(name) between 1 and 60),
  created_at timestamptz not null default now(),
  last_used_at timestamptz
);
create index passkeys_user_idx on passkeys (user_id);

-- WebAuthn challenges live server-side for a few minutes, keyed by an id in a cookie.
create table webauthn_challenges (
  id uuid primary key default gen_random_uuid(),
  user_id uuid references users (id) on delete cascade,
  purpose text not null check (purpose in ('register', 'authenticate')),
  challenge text not null,
  expires_at timestamptz not null
);

create table totp_backup_codes (
  id uuid primary key default gen_random_uuid(),
  user_id uuid not null references users (id) on delete cascade,
  code_hash bytea not null,
  used_at timestamptz
);
create index totp_backup_codes_user_idx on totp_backup_codes (user_id);

-- A password sign-in that still needs its second factor.
create table pending_logins (
  id uuid primary key default gen_random_uuid(),
  user_id uuid not null references users (id) on delete cascade,
  token_hash bytea not null unique,
  attempts integer not null default 0,
  expires_at timestamptz not null
);
